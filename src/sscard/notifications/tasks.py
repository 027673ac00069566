"""Tasks: thin wrappers; the logic lives in ``sender`` and ``sweeper``."""

from __future__ import annotations

from django_tasks import task

from sscard.notifications import sender, sweeper


@task()
def deliver_sms(notification_id: int) -> str:
    """Send one queued notification (claim, providers in failover order, record the outcome)."""
    return sender.deliver(notification_id)


@task()
def sweep_notifications() -> dict:
    """Expire, re-queue what is stuck, dispatch due retries and held messages."""
    return sweeper.sweep()
