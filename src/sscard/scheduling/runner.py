"""Running the registered jobs: one run per job and time slot, even with two schedulers started by mistake.

``sscard scheduler`` asks APScheduler for the timing (an interval aligned to the clock, or a daily time in
``TIME_ZONE``) and calls ``run_job`` for each firing. ``run_job`` first claims the slot by inserting a
``JobRun`` row; the unique (job, slot) pair means the second claimant gets an IntegrityError and skips, so the
database decides, not the clocks of the two processes. A failing job records its error on its row and never
stops the scheduler or the other jobs.

A run whose process dies mid-job keeps its claim without ``finished_at``: that slot is lost and the next slot
runs as usual (every job is idempotent and catches up on what is still due).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import traceback

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from sscard.scheduling import JOBS, Job
from sscard.scheduling.models import JobRun

log = logging.getLogger("sscard.scheduling")

# Interval slots are counted from this instant, so every scheduler agrees on where a slot starts.
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
RUN_RETENTION_DAYS = 30
ERROR_MAX_CHARS = 4000


def slot_key(job: Job, now: datetime.datetime) -> str:
    """The slot ``now`` falls in: the interval's start (UTC) or, for a daily job, the local date."""
    if job.every_seconds:
        elapsed = int((now - EPOCH).total_seconds())
        start = EPOCH + datetime.timedelta(seconds=elapsed - elapsed % job.every_seconds)
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return timezone.localdate(now).isoformat()


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(job: Job, slot: str, now: datetime.datetime) -> JobRun | None:
    """Insert the run's row; None when another scheduler (or an earlier run) already holds this slot."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot_key=slot, runner=runner_name(), started_at=now)
    except IntegrityError:
        return None


def run_job(job: Job, now: datetime.datetime | None = None, *, slot: str | None = None) -> tuple[JobRun | None, str]:
    """Claim the slot, run the job, record the outcome. Returns (the run or None, "ok" | "failed" | "skipped")."""
    now = now or timezone.now()
    slot = slot or slot_key(job, now)
    run = claim(job, slot, now)
    if run is None:
        log.info("job_skipped job=%s slot=%s reason=slot_taken", job.name, slot)
        return None, "skipped"
    started = time.monotonic()
    try:
        result = job.func(now) or {}
    except Exception as exc:  # one failing job must not stop the scheduler or the jobs after it
        run.error = "".join(traceback.format_exception(exc))[-ERROR_MAX_CHARS:]
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        log.exception("job_failed job=%s slot=%s seconds=%.2f", job.name, slot, time.monotonic() - started)
        return run, "failed"
    run.result = result
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "finished_at"])
    counts = " ".join(f"{k}={v}" for k, v in result.items())
    log.info("job_done job=%s slot=%s seconds=%.2f %s", job.name, slot, time.monotonic() - started, counts)
    return run, "ok"


def run_registered(name: str) -> None:
    """APScheduler's callable: runs in a worker thread of a long-lived process, so it manages its connection."""
    close_old_connections()
    try:
        run_job(JOBS[name])
    finally:
        close_old_connections()


def prune_runs(now: datetime.datetime) -> dict:
    """Drop run records older than RUN_RETENTION_DAYS (the every-minute jobs write 1,440 rows a day each)."""
    deleted, _ = JobRun.objects.filter(started_at__lt=now - datetime.timedelta(days=RUN_RETENTION_DAYS)).delete()
    return {"deleted": deleted}


def build_scheduler(now: datetime.datetime | None = None, *, threads: int = 1) -> BlockingScheduler:
    """A BlockingScheduler with every registered job. Each job also runs once at start (daily jobs only when
    their time has passed today): a scheduler (re)started at 10:00 still purges today's drafts, and the slot
    claim keeps that to once a day.
    """
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    scheduler = BlockingScheduler(timezone=tz, executors={"default": ThreadPoolExecutor(threads)})
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    for job in JOBS.values():
        if job.every_seconds:
            # Fired on the clock-aligned slot starts, so that every scheduler fires at the same instants.
            trigger = IntervalTrigger(seconds=job.every_seconds, start_date=EPOCH, timezone=tz)
            scheduler.add_job(run_registered, trigger, args=[job.name], id=job.name, **defaults)
            scheduler.add_job(run_registered, DateTrigger(now), args=[job.name], id=f"{job.name}:start", **defaults)
            continue
        at = job.daily_at
        trigger = CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=tz)
        scheduler.add_job(run_registered, trigger, args=[job.name], id=job.name, **defaults)
        if timezone.localtime(now).time() >= at:
            scheduler.add_job(run_registered, DateTrigger(now), args=[job.name], id=f"{job.name}:start", **defaults)
    return scheduler
