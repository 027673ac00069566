import datetime

from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "sscard.logistics"
    verbose_name = "物流"

    def ready(self):
        # Imported here: the jobs and the timeline source use models, not importable before the registry is ready.
        from sscard.applications.services.progress import register_timeline_source
        from sscard.logistics import jobs, timeline
        from sscard.scheduling import Job, register_job

        register_timeline_source(timeline.entries)
        register_job(Job("logistics.unclaimed_cards", jobs.remind_and_return_unclaimed,
                         "网点待领卡片：领卡提醒与逾期封存", daily_at=datetime.time(10, 0)))
        register_job(Job("logistics.simulate", jobs.simulate_logistics,
                         "演示：模拟市银行签收、寄递与网点签收", every_seconds=20))
