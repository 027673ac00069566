from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sscard.registry"
    verbose_name = "人员信息库"
