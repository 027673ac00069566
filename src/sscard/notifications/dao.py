"""Every outbox query that is more than a one-liner, in one place (the hot paths and their indexes).

Each write on a claimed row is conditional on ``attempts`` (the claim token): a worker that lost its claim — the
sweeper thought it dead and someone else took over — can no longer change the row.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from sscard.common import counters
from sscard.notifications.constants import (
    FINAL_STATES,
    TEMPLATE_SPECS,
    FailureKind,
    NotificationState,
    ReceiptOutcome,
)
from sscard.notifications.models import DailyQuota, DeliveryReceipt, Notification

log = logging.getLogger("sscard.notifications")
S = NotificationState


def take_quota(subject: str, now: datetime.datetime, cap: int) -> bool:
    """Take one of ``cap`` for today (local day); False when today's are all taken. Atomic (see
    ``common.counters``) and in the caller's transaction, so a rolled-back send gives its slot back."""
    return counters.bump(DailyQuota, {"subject": subject, "day": timezone.localdate(now)}, "used", below=cap) is not None


def for_reference(kind: str, ref_id) -> list[Notification]:
    """The messages about one thing (``("application", 42)``), newest first; index (reference_kind, reference_id)."""
    return list(
        Notification.objects.filter(reference_kind=kind, reference_id=str(ref_id)).order_by("-created_at", "-pk")
    )


def claim(n: Notification, now: datetime.datetime, provider: str) -> bool:
    """queued → sending for this worker. ``provider`` is recorded as the one about to be called, unless a
    previous call's outcome is still unknown (then that provider must be asked first, so it stays)."""
    changes = {"state": S.SENDING, "attempts": F("attempts") + 1, "claimed_at": now}
    if not n.pending_provider:
        changes.update(pending_provider=provider, pending_since=now)
    claimed = Notification.objects.filter(
        pk=n.pk, state=S.QUEUED, attempts=n.attempts, next_attempt_at__lte=now
    ).update(**changes)
    if claimed:
        n.state = S.SENDING
        n.attempts += 1
        n.claimed_at = now
        if not n.pending_provider:
            n.pending_provider, n.pending_since = provider, now
    return bool(claimed)


def _mine(n: Notification):
    return Notification.objects.filter(pk=n.pk, state=S.SENDING, attempts=n.attempts)


def set_pending(n: Notification, provider: str) -> bool:
    """Commit, before calling ``provider``, that its outcome is about to be unknown."""
    now = timezone.now()
    ok = _mine(n).update(pending_provider=provider, pending_since=now)
    n.pending_provider, n.pending_since = provider, now
    return bool(ok)


def clear_pending(n: Notification, reason: str) -> None:
    _mine(n).update(pending_provider="", pending_since=None, last_error=reason[:200])
    n.pending_provider, n.pending_since = "", None


def expire(n: Notification, now: datetime.datetime) -> bool:
    return bool(
        Notification.objects.filter(pk=n.pk, state__in=[S.QUEUED, S.SENDING], attempts=n.attempts).update(
            state=S.EXPIRED, finished_at=now, secret_context=""
        )
    )


def hold(n: Notification, until: datetime.datetime) -> bool:
    return bool(
        Notification.objects.filter(pk=n.pk, state=S.QUEUED, attempts=n.attempts).update(next_attempt_at=until)
    )


def fail(n: Notification, now: datetime.datetime, kind: str, reason: str) -> bool:
    return bool(
        _mine(n).update(
            state=S.FAILED, failure_kind=kind, last_error=reason[:200], finished_at=now,
            pending_provider="", pending_since=None, secret_context="",
        )
    )


def requeue(n: Notification, at: datetime.datetime, reason: str) -> bool:
    """Back to queued for another attempt at ``at``; ``pending_provider`` is kept (it may need a lookup)."""
    return bool(
        _mine(n).update(state=S.QUEUED, next_attempt_at=at, last_error=reason[:200], claimed_at=None)
    )


def finish_sent(n: Notification, provider: str, message_id: str, now: datetime.datetime) -> bool:
    """sending → sent, then apply any receipt that arrived before we got here."""
    changes = {
        "state": S.SENT,
        "provider": provider,
        "provider_message_id": message_id,
        "pending_provider": "",
        "pending_since": None,
        "sent_at": now,
        "last_error": "",
        "failure_kind": "",
    }
    if TEMPLATE_SPECS[n.template_code].secret:
        # Once sent, the clear sign-in code is no longer needed anywhere.
        changes.update(secret_context="", body=n.display_body)
    with transaction.atomic():
        # Also from queued with the same token: the sweeper may have re-queued us while the provider was slow.
        updated = Notification.objects.filter(
            pk=n.pk, state__in=[S.SENDING, S.QUEUED], attempts=n.attempts
        ).update(**changes)
        if not updated:
            log.warning("sms_claim_lost id=%s provider=%s message_id=%s", n.pk, provider, message_id)
            return False
        n.state, n.provider, n.provider_message_id = S.SENT, provider, message_id
        match = Q(notification=n) | Q(idempotency_key=str(n.idempotency_key))
        if message_id:
            match |= Q(provider_message_id=message_id)
        # PENDING: arrived early. UNKNOWN: arrived so early the sweeper already gave up matching it (a long backlog).
        early = DeliveryReceipt.objects.filter(
            match, outcome__in=[ReceiptOutcome.PENDING, ReceiptOutcome.UNKNOWN], provider=provider
        )
        for receipt in early.select_for_update().order_by("received_at", "pk"):
            apply_receipt_to(n, receipt, now)
    return True


def apply_receipt_to(n: Notification, receipt: DeliveryReceipt, now: datetime.datetime) -> str:
    """Apply one receipt to its notification. Only sent → delivered | failed; a final state never moves."""
    receipt.notification = n
    if n.state in FINAL_STATES:
        receipt.outcome = ReceiptOutcome.IGNORED_FINAL
        log.info("receipt_ignored reason=final_state id=%s state=%s delivered=%s", n.pk, n.state, receipt.delivered)
    elif n.state != S.SENT:
        receipt.outcome = ReceiptOutcome.PENDING
        log.info("receipt_early reason=not_sent_yet id=%s state=%s", n.pk, n.state)
    else:
        changes = {"finished_at": now}
        if receipt.delivered:
            changes["state"] = S.DELIVERED
        else:
            changes.update(state=S.FAILED, failure_kind=FailureKind.PERMANENT, last_error=f"receipt:{receipt.error_code}"[:200])
        if not n.provider_message_id and receipt.provider_message_id:
            changes["provider_message_id"] = receipt.provider_message_id
        updated = Notification.objects.filter(pk=n.pk, state=S.SENT).update(**changes)
        if updated:
            n.state = changes["state"]
            receipt.outcome = ReceiptOutcome.APPLIED
            log.info("receipt_applied id=%s provider=%s state=%s", n.pk, receipt.provider, n.state)
        else:  # changed under us: read again and decide on the fresh state
            n.refresh_from_db(fields=["state", "provider_message_id"])
            return apply_receipt_to(n, receipt, now)
    receipt.save(update_fields=["notification", "outcome"])
    return receipt.outcome


def find_for_receipt(provider: str, message_id: str, idempotency_key: str) -> Notification | None:
    if message_id:
        found = Notification.objects.filter(provider=provider, provider_message_id=message_id).first()
        if found:
            return found
    if idempotency_key:
        try:
            key = uuid.UUID(idempotency_key)
        except ValueError:  # not ours: a receipt for a message some other system sent
            return None
        return Notification.objects.filter(idempotency_key=key).first()
    return None


# --- sweeper ---------------------------------------------------------------------------------------------


def expire_overdue(now: datetime.datetime) -> int:
    return Notification.objects.filter(
        state__in=[S.QUEUED, S.SENDING], expires_at__lte=now
    ).update(state=S.EXPIRED, finished_at=now, secret_context="")


def requeue_stuck_sending(older_than: datetime.datetime, now: datetime.datetime, limit: int) -> list[int]:
    ids = list(
        Notification.objects.filter(state=S.SENDING, claimed_at__lt=older_than)
        .order_by("claimed_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        # pending_provider stays set: the next attempt asks that provider before sending anything again.
        Notification.objects.filter(pk__in=ids, state=S.SENDING, claimed_at__lt=older_than).update(
            state=S.QUEUED, next_attempt_at=now, claimed_at=None, last_error="stuck_sending"
        )
    return ids


def due_queued(due_before: datetime.datetime, now: datetime.datetime, limit: int) -> list[int]:
    ids = list(
        Notification.objects.filter(state=S.QUEUED, next_attempt_at__lte=due_before)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return ids


def unmatched_receipts(
    older_than: datetime.datetime, newer_than: datetime.datetime, limit: int = 1000
) -> list[DeliveryReceipt]:
    return list(
        DeliveryReceipt.objects.filter(
            outcome__in=[ReceiptOutcome.PENDING, ReceiptOutcome.UNKNOWN], received_at__lt=older_than,
            received_at__gt=newer_than,
        )
        .select_related("notification")
        .order_by("received_at")[:limit]
    )


# --- dashboard -------------------------------------------------------------------------------------------


def counts_by(field: str, since: datetime.datetime) -> list[dict]:
    return list(
        Notification.objects.filter(created_at__gte=since)
        .values(field, "state")
        .annotate(n=Count("pk"))
        .order_by(field, "state")
    )


def backlog(now: datetime.datetime) -> dict:
    queued = Notification.objects.filter(state=S.QUEUED)
    return {
        "due": queued.filter(next_attempt_at__lte=now).count(),
        "held": queued.filter(next_attempt_at__gt=now).count(),
        "sending": Notification.objects.filter(state=S.SENDING).count(),
        "oldest_due": queued.filter(next_attempt_at__lte=now).aggregate(m=Min("next_attempt_at"))["m"],
    }
