"""Loss: a temporary report (lifts itself after ``CARD_TEMPORARY_LOSS_DAYS`` unless made formal), a formal report,
and from a formally lost card a replacement application (the old card is voided when the new one is issued, in
``cards.issuance``)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from sscard.applications.constants import FINAL_STATES
from sscard.applications.models import Application
from sscard.applications.services import replacement
from sscard.cards import lifecycle
from sscard.cards.constants import CardState
from sscard.cards.models import Card
from sscard.cards.services.activation import verify_pin
from sscard.cards.services.errors import CardError
from sscard.common.statemachine import TransitionNotAllowed

log = logging.getLogger("sscard.cards")

TEMPORARY = "temporary"
FORMAL = "formal"
LOSS_KINDS = (TEMPORARY, FORMAL)
# A card lost before activation (inactive, or locked after 6 months) is reported formally: see lifecycle.py.
FORMAL_FROM = frozenset({CardState.ACTIVE, CardState.LOST_TEMPORARY, CardState.INACTIVE, CardState.LOCKED})


def temporary_loss_ends_at(card: Card) -> datetime.datetime | None:
    if card.state != CardState.LOST_TEMPORARY or card.state_changed_at is None:
        return None
    return card.state_changed_at + datetime.timedelta(days=settings.CARD_TEMPORARY_LOSS_DAYS)


def may_report_temporary(card: Card) -> bool:
    return card.state == CardState.ACTIVE


def may_report_formal(card: Card) -> bool:
    # A card still on its way (not handed over) is the courier's or the branch's matter, not a loss report.
    return card.state in FORMAL_FROM and card.handed_over_at is not None


def report_loss(card: Card, kind: str, *, actor: str) -> Card:
    """``kind``: ``temporary`` (临时挂失, active cards) or ``formal`` (正式挂失)."""
    if kind == TEMPORARY:
        if not may_report_temporary(card):
            raise CardError("loss_not_allowed", _not_now(card, "临时挂失") + "（只有已激活的卡可以临时挂失）")
        days = settings.CARD_TEMPORARY_LOSS_DAYS
        until = timezone.localdate() + datetime.timedelta(days=days)
        lifecycle.perform(card, "report_loss", actor=actor, reason=f"临时挂失，{days}天后自动解除",
                          data={"kind": TEMPORARY, "until": until.isoformat()})
    elif kind == FORMAL:
        if not may_report_formal(card):
            raise CardError("loss_not_allowed", _not_now(card, "正式挂失"))
        lifecycle.perform(card, "make_loss_formal", actor=actor, reason="正式挂失", data={"kind": FORMAL})
    else:
        raise CardError("invalid_loss_kind", "挂失类型应为 temporary（临时挂失）或 formal（正式挂失）",
                        errors={"kind": "应为 temporary 或 formal"})
    return card


def _not_now(card: Card, what: str) -> str:
    if card.handed_over_at is None and card.state == CardState.INACTIVE:
        return f"卡还没有送到您手中，不能{what}；如寄送中丢失，请联系网点或拨打12333"
    return f"这张卡当前为“{CardState(card.state).label}”，不能{what}"


def lift_temporary_loss(card: Card, *, pin: str, actor: str) -> Card:
    """The holder lifts their own temporary loss with the service PIN (wrong entries count towards the PIN lock)."""
    if card.state != CardState.LOST_TEMPORARY:
        raise CardError("lift_not_allowed", _not_now(card, "解除临时挂失"))
    verify_pin(card, pin)
    lifecycle.perform(card, "lift_loss", actor=actor, reason="本人凭服务密码解除临时挂失")
    return card


def lift_expired_temporary_losses(now: datetime.datetime) -> dict:
    """The daily job: temporary losses older than ``CARD_TEMPORARY_LOSS_DAYS`` lift themselves."""
    cutoff = now - datetime.timedelta(days=settings.CARD_TEMPORARY_LOSS_DAYS)
    counts = {"lifted": 0, "skipped": 0}
    for card in Card.objects.filter(state=CardState.LOST_TEMPORARY, state_changed_at__lte=cutoff):
        try:
            lifecycle.perform(card, "lift_loss", actor="system",
                              reason=f"临时挂失满{settings.CARD_TEMPORARY_LOSS_DAYS}天，自动解除")
            counts["lifted"] += 1
        except TransitionNotAllowed:  # made formal or lifted meanwhile (or by a second run)
            counts["skipped"] += 1
    log.info("lift_expired_temporary_losses lifted=%s skipped=%s", counts["lifted"], counts["skipped"])
    return counts


def open_replacement_of(card: Card) -> Application | None:
    return card.replacement_applications.exclude(state__in=FINAL_STATES).order_by("-created_at").first()


def may_replace(card: Card) -> bool:
    return card.state == CardState.LOST_FORMAL and open_replacement_of(card) is None


def start_replacement(card: Card, citizen, *, channel: str) -> tuple[Application, bool]:
    """补卡 for a formally lost card, through the citizen's usual flow with the last application's details."""
    if card.state != CardState.LOST_FORMAL:
        raise CardError("replacement_not_allowed", "请先正式挂失这张卡，再申请补卡")
    return replacement.start_replacement(citizen, card, channel=channel)
