"""Flag applications whose review is overdue and send each citizen the apology SMS once (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sscard.review.sla import flag_overdue


class Command(BaseCommand):
    help = "审核超期检查：提交后超过规定工作日仍未审结的申领标记为超期，并向申领人发送致歉短信（每轮只发一次）。"

    def handle(self, *args, **options):
        result = flag_overdue()
        self.stdout.write(
            f"超过{settings.REVIEW_OVERDUE_WORKING_DAYS}个工作日未审结：检查{result['checked']}份，新标记超期{result['flagged']}份"
        )
