from sscard.demo.guard import DemoCommand
from sscard.demo.staff import demo_logins


class Command(DemoCommand):
    help = "Print the demo staff logins: username, role, password, TOTP secret (base32) and the code valid now."

    def handle(self, *args, **options):
        for login in demo_logins():
            self.stdout.write(
                f"    {login.username:<11}{login.role:<6}密码 {login.password}  "
                f"TOTP 密钥 {login.secret}  当前口令 {login.code}"
            )
