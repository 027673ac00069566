"""Creating the card the card maker produced for an application (the production result import calls this).

The new card is issued inactive, linked to the person and the application; a replacement (补换卡) voids the
card it replaces in the same transaction, so there is never a moment with two live cards or none.
"""

from __future__ import annotations

from django.db import transaction

from sscard.applications.constants import Kind
from sscard.cards import lifecycle
from sscard.cards.models import Card


def issue_card(application, *, card_number: str, card_id: str, bank: str, actor: str) -> Card:
    """The new card for ``application``; raises ``ValueError`` when the application names no person."""
    if application.person_id is None:
        raise ValueError(f"application {application.pk} has no person: a card needs its holder")
    replacing = application.kind == Kind.REPLACEMENT and application.replaces_card_id is not None
    with transaction.atomic():
        old = Card.objects.select_for_update().get(pk=application.replaces_card_id) if replacing else None
        card = lifecycle.issue(
            actor=actor, person_id=application.person_id, application=application, card_number=card_number,
            card_id=card_id, bank=bank, replaces=old,
        )
        if old is not None and old.state in lifecycle.USABLE:
            lifecycle.perform(
                old, "void", actor=actor, reason="补换的新卡已制成，旧卡作废",
                data={"new_card": card.pk, "application": application.acceptance_number or ""},
            )
    return card
