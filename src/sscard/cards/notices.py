"""The SMS notices about a card: its personalisation and a reference back to the card."""

from __future__ import annotations

from sscard.applications.notices import event_values
from sscard.notifications.outbox import queue_sms


def notify_card(card, template_code: str, *, event=None, values: dict | None = None):
    """``values``: personalisation not carried by an event (the lock warnings' ``days_left`` and ``lock_date``)."""
    application = card.application
    phone = application.phone if application else ""
    context = {
        "card_tail": card.card_number[-4:] if card.card_number else "",
        "acceptance_number": (application.acceptance_number or "") if application else "",
        "branch": application.branch.name if application and application.branch_id else "",
        **event_values(event),
        **(values or {}),
    }
    return queue_sms(phone, template_code, context, reference=("card", card.pk))
