"""The card lifecycle: the only code that changes ``Card.state`` (DESIGN.md §2)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sscard.cards.constants import CardState
from sscard.cards.models import Card, CardEvent
from sscard.cards.notices import notify_card
from sscard.common import transitions
from sscard.common.statemachine import Transition, TransitionTable

C = CardState
USABLE = frozenset({C.INACTIVE, C.ACTIVE, C.LOCKED, C.LOST_TEMPORARY, C.LOST_FORMAL})

TABLE = TransitionTable(
    [
        Transition("activate", frozenset({C.INACTIVE}), C.ACTIVE, "激活"),
        Transition("lock_unactivated", frozenset({C.INACTIVE}), C.LOCKED, "锁定未激活的卡"),
        Transition("unlock", frozenset({C.LOCKED}), C.INACTIVE, "解锁"),
        Transition("report_loss", frozenset({C.ACTIVE}), C.LOST_TEMPORARY, "临时挂失"),
        Transition("lift_loss", frozenset({C.LOST_TEMPORARY}), C.ACTIVE, "解除挂失"),
        # A card lost before it was activated (or after the 6-month lock) is reported lost formally at once:
        # a temporary loss lifts back to "active", which such a card never was.
        Transition("make_loss_formal", frozenset({C.ACTIVE, C.LOST_TEMPORARY, C.INACTIVE, C.LOCKED}), C.LOST_FORMAL,
                   "正式挂失"),
        Transition("void", USABLE, C.VOID, "作废"),
    ],
    state_labels={s.value: s.label for s in CardState},
    final=[C.VOID],
)

NOTICE_ON_ENTER = {
    C.ACTIVE: "card_activated",
    C.LOCKED: "card_locked",
    C.LOST_TEMPORARY: "loss_reported",
    C.LOST_FORMAL: "loss_reported",
}
# Actions whose notice is not the one of the state they enter: lifting a loss returns the card to "active",
# where "您的社保卡已激活" would be the wrong message.
NOTICE_FOR_ACTION = {"lift_loss": "loss_lifted"}


def issue(*, actor: str, **fields: Any) -> Card:
    now = timezone.now()
    with transaction.atomic():
        card = Card.objects.create(state=C.INACTIVE, state_changed_at=now, **fields)
        CardEvent.objects.create(card=card, action="issue", from_state="", to_state=C.INACTIVE, actor=actor, created_at=now)
    return card


def perform(card: Card, action: str, *, actor: str, reason: str = "", data: dict | None = None,
            changes: dict | None = None) -> CardEvent:
    transition = TABLE.resolve(action, card.state)

    def after(instance: Card, event: CardEvent) -> None:
        template = NOTICE_FOR_ACTION.get(action) or NOTICE_ON_ENTER.get(transition.target)
        if template:
            notify_card(instance, template, event=event)

    return transitions.apply(
        table=TABLE, instance=card, action=action, event_model=CardEvent, event_fk="card",
        actor=actor, reason=reason, data=data, changes=changes, after=after,
    )
