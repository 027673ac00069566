"""Every logistics query in one place, so the hot paths and their indexes can be read together."""

from __future__ import annotations

import datetime

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.cards.models import Card
from sscard.delivery.models import Branch
from sscard.logistics.constants import EventKind
from sscard.logistics.models import LogisticsEvent


def cards_by_number(numbers) -> dict[str, Card]:
    return {card.card_number: card for card in Card.objects.filter(card_number__in=set(numbers))}


def card_for_waybill(waybill: str) -> Card | None:
    found = LogisticsEvent.objects.filter(event=EventKind.MAILED, waybill=waybill).select_related("card").first()
    return found.card if found else None


def lock_applications(application_ids) -> dict[int, Application]:
    """Row locks on the applications, always in id order, so two imports touching the same cards never deadlock.

    Held to the end of the caller's transaction: a second import of the same file waits here, then sees the
    first one's events and finds its rows unchanged.
    """
    locked = Application.objects.select_for_update().filter(pk__in=set(application_ids)).order_by("pk")
    return {application.pk: application for application in locked}


def recorded_events(card: Card) -> dict[str, LogisticsEvent]:
    """The card's events from the bank and the courier, by kind (each happens at most once)."""
    return {e.event: e for e in card.logistics_events.filter(key="")}


def waybill_taken(waybill: str) -> bool:
    return LogisticsEvent.objects.filter(event=EventKind.MAILED, waybill=waybill).exists()


def return_branch(application: Application) -> Branch | None:
    """Where a card the courier could not deliver goes: the application's branch if it names one, else the first
    open branch of the applicant's town (by branch code), else the first open branch in the city."""
    if application.branch_id and application.branch.active:
        return application.branch
    open_branches = Branch.objects.filter(active=True).order_by("code")
    return open_branches.filter(town=application.town).first() or open_branches.first()


def waiting_at_branch(entered_before: datetime.datetime, limit: int):
    """Applications whose card has waited at a branch since before ``entered_before``, with the card's events."""
    return (
        Application.objects.filter(state=State.AT_BRANCH, state_changed_at__lt=entered_before, card__isnull=False)
        .select_related("card", "branch")
        .prefetch_related("card__logistics_events")
        .order_by("state_changed_at", "pk")[:limit]
    )


def simulator_candidates(limit: int):
    """Produced cards on their way (for the demo's simulated bank and courier)."""
    return (
        Application.objects.filter(state__in=[State.PRODUCED, State.MAILED], card__isnull=False)
        .select_related("card")
        .prefetch_related("card__logistics_events")
        .order_by("state_changed_at", "pk")[:limit]
    )


def timeline_events(application: Application, kinds) -> list[LogisticsEvent]:
    return list(application.logistics_events.filter(event__in=kinds).order_by("pk"))
