from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "sscard.staff"
    verbose_name = "后台安全与运行"
