from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "sscard.delivery"
    verbose_name = "领卡与网点"
