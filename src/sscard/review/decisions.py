"""A reviewer's decisions: approve, return for correction (with reasons), refuse; pickup-change requests.

Only the reviewer holding a live claim may decide. Everything is checked and written in one transaction
with the application row locked: a decision on an application that another reviewer (or the machine)
decided meanwhile, or that the citizen withdrew, is refused with a Chinese message and changes nothing.
The citizen's SMS comes from the lifecycle (entering approved / returned / refused).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.models import Application, PickupChange
from sscard.applications.services.errors import JourneyError
from sscard.applications.services.pickup_changes import decide_pickup_change as apply_pickup_decision
from sscard.common.statemachine import TransitionNotAllowed
from sscard.common.text import CONTROL_CHARS_MESSAGE, has_control_chars
from sscard.review.claims import actor_of, live_claim, not_decidable
from sscard.review.constants import ReviewError
from sscard.review.models import ReturnReason

log = logging.getLogger("sscard.review")

MAX_NOTE = 500
MAX_REFUSAL_REASON = 200


def approve(application: Application, reviewer, *, now: datetime.datetime | None = None) -> Application:
    return _decide(application, reviewer, "approve", reason="审核通过", now=now)


def return_for_correction(
    application: Application, reviewer, reason_codes: list[str], note: str = "", *,
    now: datetime.datetime | None = None,
) -> Application:
    """Send it back to the citizen with one or more ``ReturnReason`` codes (and an optional note to them).

    The event keeps each reason's citizen text and fix tip (the citizen's page and the API show them);
    the SMS gets the reasons' short titles.
    """
    note = (note or "").strip()
    reasons = _return_reasons(reason_codes, note)
    data = {"return_reasons": [r.as_data() for r in reasons], "parts": sorted({r.part for r in reasons})}
    if note:
        data["note"] = note
    summary = "；".join(r.title for r in reasons)
    return _decide(application, reviewer, "return_for_correction", reason=summary, data=data, now=now)


def refuse(application: Application, reviewer, reason: str, *, now: datetime.datetime | None = None) -> Application:
    """Not eligible at all (不予受理): the reason is told to the citizen, so it must be written out."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("reason_required", "不予受理必须写明原因，原因会通过短信告知申领人")
    if len(reason) > MAX_REFUSAL_REASON:
        raise ReviewError("reason_too_long", f"原因请控制在{MAX_REFUSAL_REASON}字以内（短信篇幅有限）")
    _refuse_control_chars(reason)
    return _decide(application, reviewer, "refuse", reason=reason, now=now)


def _refuse_control_chars(*texts: str) -> None:
    # The one rule of every text input (common.text); a reviewer's note may run over several lines.
    if any(has_control_chars(text, multiline=True) for text in texts):
        raise ReviewError("control_chars", CONTROL_CHARS_MESSAGE)


def _return_reasons(codes: list[str], note: str) -> list[ReturnReason]:
    codes = list(dict.fromkeys(c.strip() for c in codes or [] if c and c.strip()))
    if not codes:
        raise ReviewError("reason_required", "退回补正请至少选择一项原因，申领人需要知道改什么")
    if len(note) > MAX_NOTE:
        raise ReviewError("note_too_long", f"补充说明请控制在{MAX_NOTE}字以内")
    _refuse_control_chars(note, *codes)
    found = {r.code: r for r in ReturnReason.objects.filter(code__in=codes, active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ReviewError("unknown_reason", f"退回原因“{'、'.join(unknown)}”不存在或已停用，请重新选择")
    reasons = [found[c] for c in codes]
    if any(r.needs_note for r in reasons) and not note:
        titles = "、".join(r.title for r in reasons if r.needs_note)
        raise ReviewError("note_required", f"选择“{titles}”时请在补充说明里写明具体问题")
    return reasons


def _decide(
    application: Application, reviewer, action: str, *, reason: str, data: dict | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Lock the application first: the citizen's withdrawal and another decision wait for us, or we for them.
            Application.objects.select_for_update().filter(pk=application.pk).first()
            claim_row = live_claim(application, reviewer, now=now, lock=True)
            lifecycle.perform(application, action, actor=actor_of(reviewer), reason=reason, data=data)
            claim_row.delete()
    except TransitionNotAllowed:
        # Lost a race the lock could not prevent (SQLite): say what happened instead.
        application.refresh_from_db()
        raise not_decidable(application) from None
    log.info("review_decision action=%s application=%s reviewer=%s", action, application.pk, reviewer.pk)
    return application


def decide_pickup_change(change: PickupChange, reviewer, accept: bool, reason: str = "") -> PickupChange:
    """Accept or refuse the citizen's one change of pickup details; the citizen gets an SMS either way."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ReviewError("reason_required", "不同意修改时请写明原因，原因会通过短信告知申领人")
    if len(reason) > MAX_REFUSAL_REASON:
        raise ReviewError("reason_too_long", f"原因请控制在{MAX_REFUSAL_REASON}字以内（短信篇幅有限）")
    _refuse_control_chars(reason)
    try:
        decided = apply_pickup_decision(change, accept=accept, actor=actor_of(reviewer), reason=reason)
    except JourneyError as exc:
        change.refresh_from_db()
        who = change.decided_by.removeprefix("staff:") or "其他审核员"
        raise ReviewError(exc.code, f"这条领卡信息修改申请已由{who}处理（{change.get_state_display()}），无需重复处理") from None
    log.info("pickup_change_decided change=%s accept=%s reviewer=%s", change.pk, decided.state, reviewer.pk)
    return decided
