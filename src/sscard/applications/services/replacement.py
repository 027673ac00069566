"""Starting a replacement application (补卡) for a card reported lost, with the last application's details.

Whether a card may be replaced is the card's business (``cards.services.loss.start_replacement`` checks it and
calls this); applications only keep the link (``Application.replaces_card``) and never import the cards app.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from sscard.accounts.models import Citizen
from sscard.applications import lifecycle, queries
from sscard.applications.constants import Channel, Kind, Relationship, State
from sscard.applications.models import Application
from sscard.applications.services.errors import JourneyError
from sscard.delivery import queries as branches
from sscard.privacy.fields import digest

# Steps whose values a replacement copies from the person's last application.
COPIED_FIELDS = ("phone", "town", "address_detail", "pickup_method", "branch")


def last_application_of(person, card=None) -> Application | None:
    """The application the old card came from, else the person's latest one that got past a draft."""
    if card is not None and card.application_id:
        return card.application
    return (
        Application.objects.filter(id_digest=digest(person.id_number))
        .exclude(state__in=(State.DRAFT, State.CANCELLED))
        .select_related("branch")
        .order_by("-created_at")
        .first()
    )


def _relationship(citizen: Citizen, person, previous: Application | None) -> str:
    if citizen.person_id == person.pk:
        return Relationship.SELF
    if previous is not None and previous.account_id == citizen.pk and previous.relationship != Relationship.SELF:
        return previous.relationship
    raise JourneyError("replacement_not_allowed", "只能为本人或曾为其代办申领的家人申请补卡")


def prefilled_fields(citizen: Citizen, previous: Application | None) -> dict:
    """Contact, address and pickup from ``previous``; a branch no longer open is left for the citizen to choose."""
    if previous is None:
        return {"phone": citizen.phone}
    fields = {name: getattr(previous, name) for name in COPIED_FIELDS}
    fields["phone"] = fields["phone"] or citizen.phone
    branch = fields["branch"]
    if branch is not None and not branches.is_open_branch(branch.code):
        fields["branch"] = None
        fields["pickup_method"] = ""
    return fields


def start_replacement(citizen: Citizen, card, *, channel: str) -> tuple[Application, bool]:
    """A replacement draft for ``card``'s holder, or the replacement already open for it. (application, created)."""
    if channel not in Channel.values:
        raise JourneyError("invalid_channel", "申领渠道无效")
    person = card.person
    previous = last_application_of(person, card)
    relationship = _relationship(citizen, person, previous)
    existing = queries.open_application_for(person)
    if existing is not None:
        if existing.account_id == citizen.pk and existing.replaces_card_id == card.pk:
            return existing, False
        raise JourneyError("replacement_exists", "已有一份正在办理的申领，请在“我的申领”中查看进度")
    try:
        with transaction.atomic():
            application = lifecycle.create_draft(
                actor=f"citizen:{citizen.pk}", channel=channel, person=person, name=person.name,
                id_number=person.id_number, account=citizen, relationship=relationship,
                kind=Kind.REPLACEMENT, replaces_card=card, **prefilled_fields(citizen, previous),
            )
    except IntegrityError:
        # Pressed twice at once: the database let one draft through (one open application per person).
        existing = queries.open_application_for(person)
        if existing is None or existing.account_id != citizen.pk:
            raise
        return existing, False
    return application, True
