"""Load the demo data set. Idempotent: a second run changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from sscard.accounts.constants import Role
from sscard.accounts.models import User
from sscard.api.demo import ensure_demo_partners
from sscard.delivery.models import Branch
from sscard.demo.branches import demo_branches
from sscard.demo.people import demo_people
from sscard.registry.importer import import_people
from sscard.workdays.services import load_from_chinesecalendar

DEMO_PASSWORD = "Demo@12345"
STAFF = [
    ("reviewer", Role.REVIEWER, "审核员(演示)"),
    ("production", Role.PRODUCTION, "制卡员(演示)"),
    ("clerk", Role.CLERK, "柜员(演示)"),
    ("supervisor", Role.SUPERVISOR, "主管(演示)"),
    ("admin", Role.ADMIN, "管理员(演示)"),
]


def people_csv() -> str:
    lines = ["id_number,name,hukou_region,insurance,school,card_generation,card_status"]
    for p in demo_people():
        lines.append(
            f"{p.id_number},{p.name},{p.hukou_region},{p.insurance},{p.school},"
            f"{p.card_generation or ''},{p.card_status if p.card_generation else ''}"
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
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
        created_staff = 0
        clerk_branch = Branch.objects.get(code="HR02")
        for username, role, label in STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": label, "role": role, "is_staff": True,
                          "is_superuser": role == Role.ADMIN,
                          "branch": clerk_branch if role == Role.CLERK else None},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                created_staff += 1
        partners = ensure_demo_partners() if settings.SSCARD_DEMO else []
        self.stdout.write(
            f"演示数据:人员 新增{report.created}/更新{report.updated}/未变{report.unchanged},网点 新增{created_branches},"
            f"节假日 新增{holidays},工作人员 新增{created_staff},渠道 {len(partners)}"
        )
