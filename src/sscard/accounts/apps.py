from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "sscard.accounts"
    verbose_name = "账号"

    def ready(self):
        from sscard.accounts import roles  # imports auth models: only once the app registry is ready

        post_migrate.connect(roles.on_post_migrate, dispatch_uid="sscard.accounts.sync_role_groups")
