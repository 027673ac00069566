from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sscard.accounts"
    verbose_name = "账号"
