"""A task for the fault tests: it blocks until released, so a test can kill its worker mid-task.

Its effect is idempotent the way our real tasks are: one row per key (the unique job/slot pair of ``JobRun``),
so running it again after a lost worker leaves one effect, not two.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from sscard.scheduling.models import JobRun


@task()
def stamp_when_released(marker_dir: str, key: str) -> str:
    marker = Path(marker_dir)
    (marker / f"started-{os.getpid()}").write_text("")
    while not (marker / "release").exists():
        time.sleep(0.05)
    _, created = JobRun.objects.get_or_create(
        job="faults.stamp", slot_key=key, defaults={"started_at": timezone.now(), "runner": str(os.getpid())}
    )
    return "stamped" if created else "already stamped"
