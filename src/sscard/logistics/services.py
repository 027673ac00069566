"""Recording the card's way to the citizen: bank receipt, mail and courier status, branch receipt, collection.

Every event goes through ``apply_event`` — the file import, the courier's webhook and the demo simulator alike.
An event either moves the application by its lifecycle (mailed, delivered, delivery_failed, branch_received) or
is only recorded (bank_received); each is a ``LogisticsEvent`` row, written once per card, so applying the same
event again is "unchanged", never a second effect.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import CITIZEN_LABELS, State
from sscard.applications.models import Application
from sscard.cards.models import Card
from sscard.common.statemachine import TransitionNotAllowed
from sscard.delivery.constants import PickupMethod
from sscard.logistics import dao
from sscard.logistics.constants import EventKind, Source
from sscard.logistics.fileformat import LineError, Row
from sscard.logistics.models import LogisticsEvent

log = logging.getLogger("sscard.logistics")

APPLIED = "applied"
UNCHANGED = "unchanged"
# After the bank's receipt the card may be anywhere on its way: a late receipt is still recorded.
AFTER_PRODUCTION = frozenset({State.PRODUCED, State.MAILED, State.DELIVERED, State.AT_BRANCH, State.COLLECTED})


class LogisticsError(Exception):
    """An event that cannot be applied; ``reason`` is the Chinese text for the operator or the courier."""

    def __init__(self, reason: str, code: str = "not_allowed"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


def _state_label(application: Application) -> str:
    return CITIZEN_LABELS[State(application.state)]


def _record(card: Card, application: Application, event: str, at: datetime.datetime, *, source: str, actor: str,
            waybill: str = "", branch=None, key: str = "", data: dict | None = None) -> LogisticsEvent:
    return LogisticsEvent.objects.create(
        card=card, application=application, event=event, key=key, at=at, waybill=waybill, branch=branch,
        source=source, actor=actor, data=data or {},
    )


def apply_event(card: Card, event: str, at: datetime.datetime, waybill: str = "", *, source: str, actor: str,
                application: Application | None = None) -> str:
    """Apply one event to ``card``: "applied" or "unchanged"; raises ``LogisticsError`` when it cannot happen.

    ``application``: already locked by the caller (the file import locks all its rows up front); otherwise it is
    locked here, which makes two writers on one card take turns.
    """
    if card.application_id is None:
        raise LogisticsError("这张卡没有对应的申领记录，不能登记物流")
    with transaction.atomic():
        if application is None:
            application = dao.lock_applications([card.application_id])[card.application_id]
        recorded = dao.recorded_events(card)
        handler = HANDLERS[event]
        outcome = handler(card, application, at, waybill, recorded, source=source, actor=actor)
    log.info("logistics_event event=%s card=%s outcome=%s source=%s", event, card.pk, outcome, source)
    return outcome


def _check_waybill(recorded: dict, waybill: str) -> None:
    mailed = recorded.get(EventKind.MAILED)
    if waybill and mailed and mailed.waybill != waybill:
        raise LogisticsError(f"运单号不符：这张卡寄出时的运单号是{mailed.waybill}，本次为{waybill}", "waybill_mismatch")


def _bank_received(card, application, at, waybill, recorded, *, source, actor) -> str:
    if EventKind.BANK_RECEIVED in recorded:
        return UNCHANGED
    if application.state not in AFTER_PRODUCTION:
        raise LogisticsError(f"申领状态为“{_state_label(application)}”，还不能登记市银行签收")
    _record(card, application, EventKind.BANK_RECEIVED, at, source=source, actor=actor)
    return APPLIED


def _mailed(card, application, at, waybill, recorded, *, source, actor) -> str:
    mailed = recorded.get(EventKind.MAILED)
    if mailed is not None:
        if mailed.waybill == waybill:
            return UNCHANGED
        raise LogisticsError(f"这张卡已按运单号{mailed.waybill}寄出，不能再登记运单号{waybill}", "waybill_mismatch")
    if application.pickup_method != PickupMethod.MAIL:
        raise LogisticsError("申领人选择的是网点自取，不能登记寄出")
    if application.state != State.PRODUCED:
        raise LogisticsError(f"申领状态为“{_state_label(application)}”，不能登记寄出")
    if dao.waybill_taken(waybill):
        raise LogisticsError(f"运单号{waybill}已用于另一张卡", "waybill_taken")
    lifecycle.perform(application, "mail", actor=actor, data={"waybill": waybill, "at": at.isoformat()})
    _record(card, application, EventKind.MAILED, at, source=source, actor=actor, waybill=waybill)
    return APPLIED


def _delivered(card, application, at, waybill, recorded, *, source, actor) -> str:
    _check_waybill(recorded, waybill)
    if EventKind.DELIVERED in recorded:
        return UNCHANGED
    if EventKind.DELIVERY_FAILED in recorded:
        raise LogisticsError("这张卡已登记投递失败并转到网点，不能再登记签收")
    if application.state != State.MAILED:
        raise LogisticsError(f"申领状态为“{_state_label(application)}”，尚未寄出，不能登记签收")
    lifecycle.perform(application, "confirm_delivery", actor=actor, data={"at": at.isoformat()})
    # The 6-month activation clock starts when the citizen has the card in hand.
    Card.objects.filter(pk=card.pk).update(handed_over_at=at)
    _record(card, application, EventKind.DELIVERED, at, source=source, actor=actor, waybill=waybill)
    return APPLIED


def _delivery_failed(card, application, at, waybill, recorded, *, source, actor) -> str:
    _check_waybill(recorded, waybill)
    if EventKind.DELIVERY_FAILED in recorded:
        return UNCHANGED
    if application.state != State.MAILED:
        raise LogisticsError(f"申领状态为“{_state_label(application)}”，不能登记投递失败")
    branch = dao.return_branch(application)
    if branch is None:
        raise LogisticsError("没有营业中的网点可以接收退回的卡", "no_branch")
    # The pickup branch is where the citizen now collects the card; the SMS and the timeline name it.
    Application.objects.filter(pk=application.pk).update(branch=branch)
    lifecycle.perform(application, "return_to_branch", actor=actor, reason="快递投递未成功",
                      data={"at": at.isoformat(), "branch_code": branch.code})
    _record(card, application, EventKind.DELIVERY_FAILED, at, source=source, actor=actor, waybill=waybill,
            branch=branch)
    return APPLIED


def _branch_received(card, application, at, waybill, recorded, *, source, actor) -> str:
    if EventKind.BRANCH_RECEIVED in recorded or application.state in {State.AT_BRANCH, State.COLLECTED}:
        return UNCHANGED
    if application.pickup_method != PickupMethod.BRANCH or not application.branch_id:
        raise LogisticsError("申领人选择的是邮寄到家，不能登记网点签收")
    if application.state != State.PRODUCED:
        raise LogisticsError(f"申领状态为“{_state_label(application)}”，不能登记网点签收")
    lifecycle.perform(application, "ready_at_branch", actor=actor, data={"at": at.isoformat()})
    _record(card, application, EventKind.BRANCH_RECEIVED, at, source=source, actor=actor,
            branch=application.branch)
    return APPLIED


HANDLERS = {
    EventKind.BANK_RECEIVED: _bank_received,
    EventKind.MAILED: _mailed,
    EventKind.DELIVERED: _delivered,
    EventKind.DELIVERY_FAILED: _delivery_failed,
    EventKind.BRANCH_RECEIVED: _branch_received,
}


def import_rows(rows: Iterable[Row], *, source: str = Source.FILE, actor: str,
                errors: Iterable[LineError] = ()) -> dict:
    """Apply a file's rows all or nothing: ``{"applied": n, "unchanged": n, "errors": [{"line", "reason"}]}``.

    ``errors``: the lines the file reader already refused. Every row is still tried (each in its own savepoint)
    so that the summary names every bad line; then, if there is any, the whole transaction is rolled back — no
    event, no state change, no SMS.
    """
    rows = list(rows)
    errors = list(errors)
    applied = unchanged = 0
    with transaction.atomic():
        cards = dao.cards_by_number(row.card_number for row in rows)
        locked = dao.lock_applications(card.application_id for card in cards.values() if card.application_id)
        for row in rows:
            card = cards.get(row.card_number)
            if card is None:
                errors.append(LineError(row.line, f"找不到卡号为{row.card_number}的社保卡"))
                continue
            try:
                with transaction.atomic():
                    outcome = apply_event(card, row.event, row.at, row.waybill, source=source, actor=actor,
                                          application=locked.get(card.application_id))
            except LogisticsError as exc:
                errors.append(LineError(row.line, exc.reason))
                continue
            except TransitionNotAllowed as exc:
                errors.append(LineError(row.line, exc.message))
                continue
            except IntegrityError:
                errors.append(LineError(row.line, "与同时进行的另一次登记冲突，请稍后重新导入"))
                continue
            if outcome == APPLIED:
                applied += 1
            else:
                unchanged += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        log.warning("logistics_import_refused source=%s bad_lines=%s", source, len(errors))
        return {"applied": 0, "unchanged": 0, "errors": [e.as_dict() for e in sorted(errors, key=lambda e: e.line)]}
    log.info("logistics_import source=%s applied=%s unchanged=%s", source, applied, unchanged)
    return {"applied": applied, "unchanged": unchanged, "errors": []}


def collect(application: Application, clerk) -> Application:
    """The citizen collects the card at the counter: the application is collected and the 6-month clock starts.

    A card returned and sealed after waiting too long (逾期封存) is collected the same way: the counter fetches it.
    """
    now = timezone.now()
    with transaction.atomic():
        lifecycle.perform(application, "collect", actor=f"staff:{clerk.get_username()}")
        Card.objects.filter(application=application).update(handed_over_at=now)
    return application
