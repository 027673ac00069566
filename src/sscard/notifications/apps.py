from django.apps import AppConfig

from sscard.scheduling import Job, register_job


class NotificationsConfig(AppConfig):
    name = "sscard.notifications"
    verbose_name = "短信通知"

    def ready(self):
        # Imported here: the sweeper uses the models, which cannot load before the app registry is ready.
        from sscard.notifications.tasks import sweep_and_dispatch

        register_job(Job("notifications.sweep", sweep_and_dispatch, "短信发件箱巡检（过期验证码、卡住与到期重试的短信）",
                         every_seconds=60))
