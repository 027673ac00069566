"""我的社保卡: a citizen's cards as they read them — masked number, state in plain words, where the card is,
and what they may do with it now. The web page and the channel API both read ``card_view``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.cards.constants import CardAction, CardState
from sscard.cards.models import Card
from sscard.cards.services import loss
from sscard.cards.services.locking import lock_due_at
from sscard.identity import mask_name

# Applications whose card is being made: shown on 我的社保卡 before the card exists.
IN_PRODUCTION = (State.APPROVED, State.PRODUCING, State.PRODUCTION_FAILED)

CITIZEN_STATE = {
    CardState.INACTIVE: "待激活",
    CardState.ACTIVE: "已激活，可正常使用",
    CardState.LOCKED: "已锁定（超过6个月未激活）",
    CardState.LOST_TEMPORARY: "临时挂失中",
    CardState.LOST_FORMAL: "已正式挂失",
    CardState.VOID: "已作废",
}


def mask_card_number(number: str) -> str:
    """``A12345678`` → ``A1*****78``; a long number keeps its first and last four (``6221****5678``)."""
    if not number:
        return ""
    if len(number) >= 12:
        return f"{number[:4]}****{number[-4:]}"
    keep = 2 if len(number) >= 6 else 0
    return number[:keep] + "*" * (len(number) - 2 * keep) + (number[-keep:] if keep else "")


def cards_of(citizen) -> QuerySet[Card]:
    """The holder's own cards and the cards of family members this account applied for, newest first."""
    mine = Q(application__account=citizen)
    if citizen.person_id:
        mine |= Q(person_id=citizen.person_id)
    return Card.objects.filter(mine).select_related("person", "application", "application__branch").order_by("-id")


def card_of(citizen, card_id: int) -> Card | None:
    """One of ``cards_of(citizen)``, or None (another's card is never told apart from none)."""
    return cards_of(citizen).filter(pk=card_id).first()


def in_production_for(citizen) -> QuerySet[Application]:
    mine = Q(account=citizen)
    if citizen.person_id:
        mine |= Q(person_id=citizen.person_id)
    return Application.objects.filter(mine, state__in=IN_PRODUCTION, card__isnull=True).order_by("-created_at")


def allowed_actions(card: Card) -> list[str]:
    actions = []
    if card.state == CardState.INACTIVE and card.handed_over_at is not None:
        actions.append(CardAction.ACTIVATE)
    if loss.may_report_temporary(card):
        actions.append(CardAction.REPORT_LOSS)
    if card.state == CardState.LOST_TEMPORARY:
        actions.append(CardAction.LIFT_LOSS)
    if loss.may_report_formal(card):
        actions.append(CardAction.REPORT_LOSS_FORMAL)
    if loss.may_replace(card):
        actions.append(CardAction.REPLACE)
    if card.pin_hash and card.state in (CardState.ACTIVE, CardState.LOST_TEMPORARY):
        actions.append(CardAction.RESET_PIN)
    return [str(a) for a in actions]


def _mail_waybill(application: Application) -> str:
    event = application.events.filter(action="mail").order_by("-created_at").first()
    return str((event.data or {}).get("waybill", "")) if event else ""


def where(card: Card) -> str:
    """Where the card is, in the citizen's words (from its application's progress)."""
    if card.state in (CardState.VOID,):
        return "已作废，不能再使用"
    application = card.application
    if card.handed_over_at is not None or application is None:
        return "在您手中"
    state = application.state
    if state == State.MAILED:
        waybill = _mail_waybill(application)
        return f"已寄出，运单号 {waybill}" if waybill else "已寄出"
    if state == State.AT_BRANCH:
        branch = application.branch
        return f"网点待领取：{branch.name}（{branch.address}）" if branch else "网点待领取"
    if state in (State.DELIVERED, State.COLLECTED):
        return "已签收" if state == State.DELIVERED else "已领取"
    return "已制卡，等待寄出或送往网点"


@dataclass
class CardView:
    card: Card
    masked_number: str
    state_label: str
    where: str
    actions: list[str]
    holder: str
    notes: list[str] = field(default_factory=list)
    replacement: Application | None = None


def card_view(card: Card) -> CardView:
    notes = []
    due = lock_due_at(card)
    if due is not None:
        notes.append(f"请在{due:%Y年%m月%d日}前激活，逾期将锁定")
    if card.state == CardState.LOCKED:
        notes.append("请带身份证到任一社保卡服务网点解锁，解锁后即可激活")
    ends = loss.temporary_loss_ends_at(card)
    if ends is not None:
        notes.append(f"临时挂失将于{ends:%Y年%m月%d日}自动解除；如确已丢失，请办理正式挂失后申请补卡")
    if card.pin_locked_at is not None:
        notes.append("服务密码已锁定（卡仍可正常使用），可通过短信验证码重置")
    replacement = loss.open_replacement_of(card) if card.state == CardState.LOST_FORMAL else None
    if replacement is not None:
        notes.append(f"补卡申请办理中：{replacement.citizen_label}")
    return CardView(
        card=card, masked_number=mask_card_number(card.card_number), state_label=CITIZEN_STATE[CardState(card.state)],
        where=where(card), actions=allowed_actions(card), holder=mask_name(card.person.name),
        notes=notes, replacement=replacement,
    )
