from django.core.management.base import BaseCommand

from sscard.notifications.templates import ensure_default_templates


class Command(BaseCommand):
    help = "载入缺少的默认短信模板（不会覆盖管理员修改过的内容）。"

    def handle(self, *args, **options):
        self.stdout.write(f"created={ensure_default_templates()}")
