"""The daily job for cards waiting at a branch, and the demo's simulated bank and courier."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications.notices import notify_application
from sscard.delivery.constants import PickupMethod
from sscard.logistics import dao
from sscard.logistics.constants import EventKind, Source
from sscard.logistics.fileformat import Row
from sscard.logistics.models import LogisticsEvent
from sscard.logistics.services import import_rows

log = logging.getLogger("sscard.logistics")

ACTOR = "system:logistics"
BATCH = 5000


def _days_waiting(application, now: datetime.datetime) -> int:
    return (timezone.localdate(now) - timezone.localdate(application.state_changed_at)).days


def _write_once(application, card, event: str, now: datetime.datetime, *, key: str, data: dict, template: str) -> bool:
    """The event row and its SMS in one transaction; False when it already exists (another scheduler was first)."""
    try:
        with transaction.atomic():
            row = LogisticsEvent.objects.create(
                card=card, application=application, event=event, key=key, at=now, branch=application.branch,
                source=Source.SYSTEM, actor=ACTOR, data=data,
            )
            notify_application(application, template, event=row)
    except IntegrityError:
        return False
    return True


def remind_and_return_unclaimed(now: datetime.datetime) -> dict:
    """Remind holders of cards waiting at a branch (``CARD_COLLECTION_REMINDER_DAYS``), and after
    ``CARD_UNCLAIMED_RETURN_DAYS`` record the card returned and sealed (逾期封存) and tell the holder.

    Days are counted in local calendar days from the day the card reached the branch. A job that did not run for a
    while sends only the latest reminder due, not every one it missed. Idempotent: each reminder and the return
    are one row per card.
    """
    reminder_days = settings.CARD_COLLECTION_REMINDER_DAYS
    return_days = settings.CARD_UNCLAIMED_RETURN_DAYS
    counts = {"checked": 0, "reminded": 0, "returned": 0}
    first = min([*reminder_days, return_days])
    waiting_since = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for application in dao.waiting_at_branch(waiting_since - datetime.timedelta(days=first - 1), BATCH):
        counts["checked"] += 1
        card = application.card
        done = {(e.event, e.key) for e in card.logistics_events.all()}
        if (EventKind.RETURNED_UNCLAIMED, "") in done:
            continue
        waited = _days_waiting(application, now)
        entered = timezone.localdate(application.state_changed_at)
        if waited >= return_days:
            if _write_once(application, card, EventKind.RETURNED_UNCLAIMED, now, key="", data={"days": waited},
                           template="card_returned_unclaimed"):
                counts["returned"] += 1
            continue
        due = [day for day in reminder_days if waited >= day]
        if not due or any(kind == EventKind.COLLECTION_REMINDER and int(key) >= due[-1] for kind, key in done):
            continue
        return_date = entered + datetime.timedelta(days=return_days)
        data = {"days": due[-1], "return_date": f"{return_date:%Y年%m月%d日}"}
        if _write_once(application, card, EventKind.COLLECTION_REMINDER, now, key=str(due[-1]), data=data,
                       template="card_collection_reminder"):
            counts["reminded"] += 1
    return counts


# The simulated bank and courier move a card one step at a time, this long after its previous step.
SIMULATOR_STEP = datetime.timedelta(seconds=30)


def fake_waybill(card) -> str:
    return f"SF{card.pk:013d}"


def _next_step(application, card, now: datetime.datetime) -> tuple[str, str] | None:
    recorded = {e.event: e for e in card.logistics_events.all()}
    ready = now - SIMULATOR_STEP
    if application.state == "mailed":
        return ("delivered", "") if application.state_changed_at <= ready else None
    bank = recorded.get(EventKind.BANK_RECEIVED)
    if bank is None:
        return ("bank_received", "") if application.state_changed_at <= ready else None
    if bank.at > ready:
        return None
    if application.pickup_method == PickupMethod.BRANCH:
        return "branch_received", ""
    return "mailed", fake_waybill(card)


def simulate_logistics(now: datetime.datetime) -> dict:
    """Demo mode (``CARD_MAKER_SIMULATOR``): the bank receives produced cards, then the courier mails and delivers
    them, or the branch receives them — through the same import code as a real file, one card at a time so one
    card's problem never holds up the others."""
    if not settings.CARD_MAKER_SIMULATOR:
        return {"enabled": 0}
    counts = {"enabled": 1, "applied": 0, "refused": 0}
    for application in dao.simulator_candidates(200):
        step = _next_step(application, application.card, now)
        if step is None:
            continue
        event, waybill = step
        row = Row(line=1, card_number=application.card.card_number, event=event, waybill=waybill, at=now)
        summary = import_rows([row], source=Source.SIMULATOR, actor="system:simulator")
        if summary["errors"]:
            counts["refused"] += 1
            log.warning("simulator_refused card=%s event=%s reason=%s", application.card.pk, event,
                        summary["errors"][0]["reason"])
        else:
            counts["applied"] += summary["applied"]
    return counts
