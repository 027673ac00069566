"""Load the demo data set. Idempotent: a second run changes nothing."""

from django.conf import settings
from django.db import transaction

from sscard.api.demo import ensure_demo_partners
from sscard.delivery.models import Branch
from sscard.demo.branches import demo_branches
from sscard.demo.guard import DemoCommand
from sscard.demo.people import demo_people
from sscard.demo.staff import demo_logins, ensure_demo_staff
from sscard.registry.importer import import_people
from sscard.workdays.services import load_from_chinesecalendar


def people_csv() -> str:
    lines = ["id_number,name,hukou_region,insurance,school,card_generation,card_status"]
    for p in demo_people():
        lines.append(
            f"{p.id_number},{p.name},{p.hukou_region},{p.insurance},{p.school},"
            f"{p.card_generation or ''},{p.card_status if p.card_generation else ''}"
        )
    return "\n".join(lines) + "\n"


class Command(DemoCommand):
    help = "Load demo people, branches in all 23 towns, holidays and one staff account per role."

    @transaction.atomic
    def handle(self, *args, **options):
        report = import_people(people_csv(), strict=True)
        if not report.ok:
            raise SystemExit(f"demo people invalid: {report.errors[:3]}")
        created_branches = 0
        for row in demo_branches():
            _, created = Branch.objects.update_or_create(code=row["code"], defaults=row)
            created_branches += created
        holidays = load_from_chinesecalendar()
        created_staff = ensure_demo_staff()
        self.stdout.write("演示工作人员（登录 /staff/，密码 + 动态口令；`sscard demo-staff` 显示当前口令）：")
        for login in demo_logins():
            self.stdout.write(f"    {login.username:<11}{login.role:<6}密码 {login.password}  TOTP 密钥 {login.secret}")
        partners = ensure_demo_partners() if settings.SSCARD_DEMO else []
        self.stdout.write(
            f"演示数据：人员 新增{report.created}/更新{report.updated}/未变{report.unchanged}，网点 新增{created_branches}，"
            f"节假日 新增{holidays}，工作人员 新增{created_staff}，渠道 {len(partners)}"
        )
