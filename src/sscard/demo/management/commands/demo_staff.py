from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sscard.demo.staff import demo_logins


class Command(BaseCommand):
    help = "Print the demo staff logins: username, role, password, TOTP secret (base32) and the code valid now."

    def handle(self, *args, **options):
        if settings.SSCARD_PRODUCTION:
            raise CommandError("生产模式下没有演示工作人员账号。")
        for login in demo_logins():
            self.stdout.write(
                f"    {login.username:<11}{login.role:<6}密码 {login.password}  "
                f"TOTP 密钥 {login.secret}  当前口令 {login.code}"
            )
