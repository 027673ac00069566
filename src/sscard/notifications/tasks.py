"""The task layer: the only module that knows the queue. The logic lives in ``sender`` and ``sweeper``.

``sender.deliver`` makes one attempt and says whether, and when, to try again; ``deliver_sms`` schedules that
attempt itself (deferred where the backend can defer). ``sweeper.sweep`` repairs rows and names the ones to send;
``sweep_and_dispatch`` hands those to the queue.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from sscard.notifications import sender, sweeper


@task()
def deliver_sms(notification_id: int) -> str:
    """Send one queued notification (claim, providers in failover order, record the outcome); retry later if told."""
    outcome = sender.deliver(notification_id)
    if outcome.retry_at is not None:
        enqueue(notification_id, outcome.retry_at)
    return outcome.status


@task()
def sweep_notifications() -> dict:
    """Expire, re-queue what is stuck, dispatch due retries and held messages."""
    return sweep_and_dispatch()


def enqueue(pk: int, run_at: datetime.datetime | None = None) -> None:
    """Hand the row to the task queue. Losing this call is harmless: the sweeper finds the row still queued."""
    task = deliver_sms
    if run_at is not None and run_at > timezone.now():
        if not task.get_backend().supports_defer:
            return  # the sweeper dispatches it when due
        task = task.using(run_after=run_at)
    task.enqueue(pk)


def sweep_and_dispatch(now: datetime.datetime | None = None, limit: int = 5000) -> dict:
    """One sweep (``sscard sweep_notifications`` and the periodic task), then a send task for each due row."""
    result = sweeper.sweep(now, limit, can_defer=deliver_sms.get_backend().supports_defer)
    for pk in result.due:
        deliver_sms.enqueue(pk)
    return result.counts
