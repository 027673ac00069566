"""Re-queue the automatic check for submissions that never got a result (run every few minutes)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from sscard.review.tasks import requeue_lost_auto_reviews


class Command(BaseCommand):
    help = "自动审核巡检：提交后超过等待时间仍没有自动审核结果的申领，重新排队检查。"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once).")

    def handle(self, *args, every: int = 0, **options):
        while True:
            count = requeue_lost_auto_reviews()
            self.stdout.write(f"等待超过{settings.REVIEW_AUTO_REVIEW_WAIT}秒仍无结果、重新排队：{count}份")
            if not every:
                return
            time.sleep(every)
