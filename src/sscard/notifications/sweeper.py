"""The sweeper: the outbox's safety net, run every minute (``sscard sweep_notifications``, or the task).

- queued or sending rows past their expiry (sign-in codes) become ``expired``;
- rows stuck in ``sending`` (a worker died mid-attempt) go back to ``queued`` — still marked with the provider whose
  outcome is unknown, so the next attempt asks it before sending anything again;
- queued rows that are due and not picked up (a lost task, a retry or a quiet-hours hold on a backend that cannot
  defer) are handed to the task queue again;
- receipts that never matched a message are logged as unknown.

It names the rows to hand to the queue (``SweepResult.due``) and enqueues nothing itself: the task layer
(``tasks.sweep_and_dispatch``) does.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sscard.notifications import dao
from sscard.notifications.constants import FINAL_STATES, NotificationState, ReceiptOutcome
from sscard.notifications.models import Notification

log = logging.getLogger("sscard.notifications")


@dataclass(frozen=True)
class SweepResult:
    counts: dict
    due: list[int] = field(default_factory=list)  # ids to hand to the task queue, oldest first


def sweep(now: datetime.datetime | None = None, limit: int = 5000, *, can_defer: bool) -> SweepResult:
    """``can_defer``: the task backend runs deferred tasks (the database backend), so a due row normally
    already has a task waiting and only rows overdue for a while need another."""
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.SMS_STUCK_AFTER)
    expired = dao.expire_overdue(now)

    stuck = dao.requeue_stuck_sending(stuck_before, now, limit)
    for pk in stuck:
        log.warning("sms_requeued reason=stuck_sending id=%s", pk)

    # With a backend that defers (the database backend), a due row normally has a task waiting; re-dispatch only
    # what has been overdue for a while. A backend that cannot defer relies on this sweep for retries and holds.
    due_before = stuck_before if can_defer else now
    due = set(dao.due_queued(due_before, now, limit)) | set(stuck)
    if can_defer and due:
        # Moving next_attempt_at keeps the next sweeps from dispatching the same rows again while they wait.
        Notification.objects.filter(pk__in=due, state=NotificationState.QUEUED).update(next_attempt_at=now)

    # A receipt and the commit of its "sent" can cross (each transaction misses the other): match again here.
    unknown = 0
    # Unknown ones are retried for a day: a message whose outcome was unknown may be reconciled much later.
    for receipt in dao.unmatched_receipts(now - datetime.timedelta(seconds=30), now - datetime.timedelta(days=1)):
        n = receipt.notification or dao.find_for_receipt(
            receipt.provider, receipt.provider_message_id, receipt.idempotency_key
        )
        if n is not None:
            if n.state in FINAL_STATES or n.state == NotificationState.SENT:
                with transaction.atomic():
                    dao.apply_receipt_to(n, receipt, now)
        elif receipt.outcome == ReceiptOutcome.PENDING and receipt.received_at < stuck_before:
            log.warning(
                "receipt_unknown_message provider=%s message_id=%s", receipt.provider, receipt.provider_message_id
            )
            receipt.outcome = ReceiptOutcome.UNKNOWN
            receipt.save(update_fields=["outcome"])
            unknown += 1

    result = {"expired": expired, "stuck": len(stuck), "dispatched": len(due), "unknown_receipts": unknown}
    if any(result.values()):
        log.info("sms_sweep %s", " ".join(f"{k}={v}" for k, v in result.items()))
    return SweepResult(result, sorted(due))
