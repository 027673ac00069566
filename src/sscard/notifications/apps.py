from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sscard.notifications"
    verbose_name = "短信通知"
