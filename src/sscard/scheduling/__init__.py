"""Periodic jobs: each owning app registers its jobs here (in its AppConfig.ready()); ``sscard scheduler`` runs them.

Registering is all a domain app does: it never imports the runner. A job is a plain function taking ``now`` and
returning a small dict of counts for the log; it must be idempotent, because a job may run again after a crash
and two schedulers may be started by mistake (the runner also claims each run in the database, so one run per slot).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str  # stable code, e.g. "cards.lock_unactivated"
    func: Callable[[datetime.datetime], dict]
    title: str  # Chinese, for the staff/admin listing
    every_seconds: int | None = None  # run every N seconds …
    daily_at: datetime.time | None = None  # … or once a day at this local time


JOBS: dict[str, Job] = {}


def register_job(job: Job) -> Job:
    """Add (or replace, by name) a periodic job."""
    if (job.every_seconds is None) == (job.daily_at is None):
        raise ValueError(f"job {job.name}: give exactly one of every_seconds or daily_at")
    JOBS[job.name] = job
    return job
