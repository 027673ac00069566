"""The 6-month lock: a card not activated within ``CARD_LOCK_AFTER_DAYS`` of delivery or collection is locked,
after SMS warnings 30 and 7 days before; only a counter unlocks it (which restarts the clock).

``lock_unactivated_cards`` is the daily job. It is idempotent and safe to run twice at once: each warning is a
``CardWarning`` row under a unique constraint (the second insert fails and sends nothing), and each lock is a
guarded transition (the second finds the card already locked and is refused).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from sscard.cards import lifecycle
from sscard.cards.constants import WARNING_DAYS, CardState, WarningKind
from sscard.cards.models import Card, CardWarning
from sscard.cards.notices import notify_card
from sscard.cards.services.errors import CardError
from sscard.common.statemachine import TransitionNotAllowed

log = logging.getLogger("sscard.cards")

SYSTEM = "system"


def lock_after() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CARD_LOCK_AFTER_DAYS)


def _clocked() -> QuerySet[Card]:
    """Inactive cards in the holder's hands, with the moment their activation clock started."""
    return (
        Card.objects.filter(state=CardState.INACTIVE, handed_over_at__isnull=False)
        .annotate(clock=Coalesce("unlocked_at", "handed_over_at", output_field=DateTimeField()))
        .select_related("application", "application__branch")
    )


def lock_due_at(card: Card) -> datetime.datetime | None:
    """When the card will be locked if not activated (None: not handed over yet, or not inactive)."""
    if card.state != CardState.INACTIVE or card.handed_over_at is None:
        return None
    return (card.unlocked_at or card.handed_over_at) + lock_after()


def lock_unactivated_cards(now: datetime.datetime) -> dict:
    """The daily job: warnings first (for cards not yet due), then the locks."""
    counts = {"warned_30": 0, "warned_7": 0, "locked": 0, "skipped": 0}
    period = lock_after()
    cutoff = now - period
    # The most urgent warning only: a card that missed the 30-day window (the job did not run) gets the 7-day one.
    windows = [
        (WarningKind.LOCK_7, Q(clock__lte=cutoff + datetime.timedelta(days=WARNING_DAYS[WarningKind.LOCK_7]))),
        (WarningKind.LOCK_30, Q(clock__lte=cutoff + datetime.timedelta(days=WARNING_DAYS[WarningKind.LOCK_30]),
                                clock__gt=cutoff + datetime.timedelta(days=WARNING_DAYS[WarningKind.LOCK_7]))),
    ]
    for kind, window in windows:
        for card in _clocked().filter(window, clock__gt=cutoff):
            counts[f"warned_{WARNING_DAYS[kind]}"] += _warn(card, kind, card.clock + period, now)
    for card in _clocked().filter(clock__lte=cutoff):
        try:
            lifecycle.perform(card, "lock_unactivated", actor=SYSTEM,
                              reason=f"领卡或签收后超过{settings.CARD_LOCK_AFTER_DAYS}天未激活")
            counts["locked"] += 1
        except TransitionNotAllowed:  # activated, or locked by a second run, meanwhile
            counts["skipped"] += 1
    log.info("lock_unactivated_cards warned_30=%s warned_7=%s locked=%s skipped=%s", counts["warned_30"],
             counts["warned_7"], counts["locked"], counts["skipped"])
    return counts


def _warn(card: Card, kind: WarningKind, lock_at: datetime.datetime, now: datetime.datetime) -> int:
    lock_date = timezone.localtime(lock_at).date()
    days_left = max(0, (lock_date - timezone.localtime(now).date()).days)
    try:
        with transaction.atomic():
            CardWarning.objects.create(card=card, kind=kind, lock_date=lock_date, created_at=now)
            notify_card(card, kind.value, values={
                "lock_date": f"{lock_date.year}年{lock_date.month:02d}月{lock_date.day:02d}日",
                "days_left": days_left,
            })
    except IntegrityError:  # already warned (an earlier run, or a second scheduler right now)
        return 0
    return 1


def unlock_at_counter(card: Card, clerk) -> Card:
    """A branch clerk unlocks a locked card (the holder shows their ID); the 6-month clock starts again."""
    if card.state != CardState.LOCKED:
        raise CardError("card_not_locked", f"这张卡当前为“{CardState(card.state).label}”，不需要解锁")
    lifecycle.perform(card, "unlock", actor=f"staff:{clerk.get_username()}", reason="窗口核验身份后解锁",
                      changes={"unlocked_at": timezone.now()})
    return card
