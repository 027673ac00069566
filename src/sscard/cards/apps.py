from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "sscard.cards"
    verbose_name = "社保卡"
