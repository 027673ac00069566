"""Tasks: thin wrappers; the logic lives in ``autoreview`` and ``sla``."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from sscard.review import autoreview, queries, sla

log = logging.getLogger("sscard.review")


@task()
def auto_review(application_id: int) -> str:
    """Run the automatic check on one submitted application (approve, or leave it to a human with findings)."""
    return autoreview.run(application_id)


def requeue_lost_auto_reviews(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """Re-enqueue the check for submissions still without a result after ``REVIEW_AUTO_REVIEW_WAIT`` (a lost task)."""
    now = now or timezone.now()
    ids = queries.awaiting_auto_review(queries.machine_wait_since(now), limit)
    for application_id in ids:
        log.warning("auto_review_requeued reason=no_result application=%s", application_id)
        auto_review.enqueue(application_id)
    return len(ids)


@task()
def sweep_auto_reviews() -> int:
    return requeue_lost_auto_reviews()


@task()
def flag_overdue_applications() -> dict:
    return sla.flag_overdue()
