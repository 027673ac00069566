from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sscard.audit"
    verbose_name = "审计"
