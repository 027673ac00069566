import datetime

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "sscard.scheduling"
    verbose_name = "定时任务"

    def ready(self):
        # Imported here: the runner uses the JobRun model, which cannot be imported before the app registry is ready.
        from sscard.scheduling import Job, register_job
        from sscard.scheduling.runner import prune_runs
        from sscard.scheduling.workers import recover_job

        register_job(Job("scheduling.prune_runs", prune_runs, "清理定时任务运行记录", daily_at=datetime.time(4, 30)))
        register_job(Job("scheduling.recover_tasks", recover_job, "回收意外中断的后台任务", every_seconds=60))
