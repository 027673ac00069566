import datetime

from django.apps import AppConfig

from sscard.scheduling import Job, register_job


class ApplicationsConfig(AppConfig):
    name = "sscard.applications"
    verbose_name = "申领"

    def ready(self):
        # Imported here: retention uses the models, which cannot load before the app registry is ready.
        from sscard.applications.retention import purge_stale_drafts
        from sscard.applications.services import binding

        binding.install()  # real-name binding: no change while an own application is open; audit rows

        register_job(Job("applications.purge_drafts", purge_stale_drafts, "清理超过保存期的草稿",
                         daily_at=datetime.time(3, 0)))
