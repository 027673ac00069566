from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sscard.applications"
    verbose_name = "申领"
