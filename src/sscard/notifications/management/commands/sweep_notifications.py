"""Run the SMS sweeper once, or every ``--every`` seconds."""

import time

from django.core.management.base import BaseCommand

from sscard.notifications.tasks import sweep_and_dispatch


class Command(BaseCommand):
    help = "短信发件箱巡检：过期验证码、重新排队卡住的短信、派发到期的重试和夜间暂缓短信。"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once).")

    def handle(self, *args, every: int = 0, **options):
        while True:
            result = sweep_and_dispatch()
            self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
            if not every:
                return
            time.sleep(every)
