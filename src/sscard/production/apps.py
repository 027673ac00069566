from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "sscard.production"
    verbose_name = "制卡"

    def ready(self):
        # Registered here, not at import: the audit labels and the jobs need the app registry ready.
        from sscard.production import jobs

        jobs.register()
