"""The refusal every card service raises."""

from __future__ import annotations

from sscard.common.errors import Refusal


class CardError(Refusal):
    """A refusal a citizen or clerk must read: stable ``code``, Chinese ``message`` (see ``Refusal``)."""


# Codes that mean "not now, given the card's state" (HTTP 409) rather than "fix what you typed" (422).
CONFLICT_CODES = frozenset({
    "card_not_activatable", "card_not_handed_over", "pin_locked", "pin_not_set", "loss_not_allowed",
    "lift_not_allowed", "replacement_not_allowed", "replacement_exists",
})
