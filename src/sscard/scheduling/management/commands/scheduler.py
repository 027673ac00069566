"""``sscard scheduler``: run the periodic jobs; ``--once JOB`` runs one now; ``--list`` shows them."""

from __future__ import annotations

import json
import logging
import signal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from sscard.scheduling import JOBS
from sscard.scheduling.runner import build_scheduler, run_job

log = logging.getLogger("sscard.scheduling")


def describe(job) -> str:
    when = f"每{job.every_seconds}秒" if job.every_seconds else f"每天{job.daily_at:%H:%M}"
    return f"{job.name}\t{when}\t{job.title}"


class Command(BaseCommand):
    help = "定时任务：按时运行各模块登记的周期任务（每个时段只运行一次，多开也安全）；--once 任务名 立即运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--once", metavar="JOB", help="Run this job now (in the current slot) and exit.")
        parser.add_argument(
            "--force", action="store_true",
            help="With --once: run even if the current slot already ran (records a manual slot of its own).",
        )
        parser.add_argument("--list", dest="list_jobs", action="store_true", help="List the registered jobs and exit.")

    def handle(self, *args, once=None, force=False, list_jobs=False, **options):
        if list_jobs:
            for job in sorted(JOBS.values(), key=lambda j: j.name):
                self.stdout.write(describe(job))
            return
        if once:
            return self.run_once(once, force)
        # SQLite allows one writer at a time: one job at a time there; PostgreSQL takes a few in parallel.
        threads = 1 if connection.vendor == "sqlite" else 4
        scheduler = build_scheduler(threads=threads)
        signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
        log.info("scheduler_started jobs=%s", ",".join(sorted(JOBS)))
        self.stdout.write(f"定时任务已启动：{len(JOBS)}个任务（Ctrl-C 停止）")
        try:
            scheduler.start()
        except KeyboardInterrupt:
            scheduler.shutdown(wait=False)
        log.info("scheduler_stopped")

    def run_once(self, name: str, force: bool) -> None:
        job = JOBS.get(name)
        if job is None:
            raise CommandError(f"没有名为 {name} 的定时任务。可用任务：{', '.join(sorted(JOBS))}")
        now = timezone.now()
        slot = f"manual:{now:%Y-%m-%dT%H:%M:%S.%fZ}" if force else None
        run, status = run_job(job, now, slot=slot)
        summary = {"job": job.name, "status": status}
        if run is not None:
            summary |= {"slot": run.slot_key, "result": run.result}
            if run.error:
                summary["error"] = run.error.strip().splitlines()[-1]
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if status == "failed":
            raise SystemExit(1)
