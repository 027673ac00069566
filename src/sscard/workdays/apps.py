from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "sscard.workdays"
    verbose_name = "工作日"
