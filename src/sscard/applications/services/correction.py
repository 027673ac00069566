"""Correction (补正): which parts of an application the citizen may change, and when.

- Returned for correction (需补正): the reviewer named reasons, each with the part to fix (the return event's
  ``data``, written by ``review.decisions``). The citizen may change exactly those parts, then resubmits
  (``submission.submit``, lifecycle ``resubmit``: a new due date and the acceptance SMS). A photo the reviewer
  named must have been uploaded again before the resubmission is accepted.
- Submitted, before a reviewer has taken it: the citizen may replace a photo or correct the address or the
  phone without withdrawing. Each change is a lifecycle ``correct`` event in the same transaction as the change;
  its guarded update refuses the change if a reviewer took the application a moment before, and review runs
  its automatic check again when it hears of the event (``application_changed``).
- Under review (a reviewer holds it), and from approval on: nothing may change here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from sscard.applications import lifecycle, queries
from sscard.applications.constants import State
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.services.errors import JourneyError
from sscard.common.statemachine import TransitionNotAllowed

# Every part a citizen fills in: the photos (upload kinds) and the form steps, in the order pages show them.
PART_LABELS = {
    "portrait": "证件照",
    "id_front": "身份证人像面",
    "id_back": "身份证国徽面",
    "relationship_proof": "关系证明",
    "address": "联系地址",
    "contact": "接收通知的手机号",
    "pickup": "领卡方式",
}
UPLOAD_PARTS = frozenset(UploadKind.values)
ALL_PARTS = tuple(PART_LABELS)
# While waiting for a reviewer: photos, address and phone. The way of pickup has its own change after approval.
WHILE_WAITING = frozenset(UPLOAD_PARTS | {"address", "contact"})
# A reviewer naming either side of the ID card gets both offered: a swapped pair, or an expired card replaced by
# a new one, needs both photos again.
ID_CARD_SIDES = frozenset({"id_front", "id_back"})
# The reason code a reviewer uses for anything the list does not cover (explained in the note).
OTHER = "other"

UNDER_REVIEW_MESSAGE = "审核人员正在审核，暂时不能修改"


@dataclass(frozen=True)
class Reason:
    code: str
    title: str
    text: str  # what is wrong, for the citizen
    tip: str  # how to fix it
    part: str  # a key of PART_LABELS, or "other"


@dataclass(frozen=True)
class ReturnNotice:
    """Why the application was returned: the reviewer's reasons, note and the parts they named."""

    reasons: tuple[Reason, ...]
    note: str
    summary: str  # the event's reason (the reasons' titles; a free text for a return without reason codes)
    returned_at: datetime.datetime
    named_parts: frozenset[str]


def return_notice(application: Application) -> ReturnNotice | None:
    """The reasons of the current return (None unless the application is returned for correction)."""
    if application.state != State.RETURNED:
        return None
    event = queries.last_return_event(application)
    if event is None:
        return None
    data = event.data or {}
    reasons = tuple(
        Reason(code=str(r.get("code", "")), title=str(r.get("title", "")), text=str(r.get("citizen_text", "")),
               tip=str(r.get("fix_tip", "")), part=str(r.get("part", OTHER)))
        for r in data.get("return_reasons") or [] if isinstance(r, dict)
    )
    named = frozenset(r.part for r in reasons) or frozenset(str(p) for p in data.get("parts") or [])
    return ReturnNotice(reasons, str(data.get("note", "")), event.reason, event.created_at, named)


def changeable_parts(application: Application, notice: ReturnNotice | None = None) -> tuple[str, ...]:
    """The parts the citizen may change now, in page order (empty: nothing)."""
    if application.state == State.DRAFT:
        return ALL_PARTS
    if application.state == State.SUBMITTED:
        return tuple(p for p in ALL_PARTS if p in WHILE_WAITING)
    if application.state != State.RETURNED:
        return ()
    notice = notice or return_notice(application)
    named = notice.named_parts if notice else frozenset()
    if not named or OTHER in named:
        # "Other" (or a return that named no part, e.g. after a failed production): the note says what, so
        # everything the citizen filled in may be corrected.
        return ALL_PARTS
    if named & ID_CARD_SIDES:
        named |= ID_CARD_SIDES
    return tuple(p for p in ALL_PARTS if p in named)


def ensure_may_change(application: Application, part: str) -> None:
    """Refuse, with the reason in plain Chinese, a change the citizen may not make now."""
    if application.state == State.REVIEWING:
        raise JourneyError("under_review", UNDER_REVIEW_MESSAGE, application=application)
    allowed = changeable_parts(application)
    if part in allowed:
        return
    label = PART_LABELS.get(part, "这项内容")
    if application.state == State.RETURNED:
        asked = "、".join(PART_LABELS[p] for p in allowed)
        raise JourneyError("part_not_requested", f"这次只需要修改：{asked}。{label}不在审核意见里，不能修改",
                           application=application)
    if application.state == State.SUBMITTED:
        raise JourneyError("part_not_changeable",
                           f"审核开始前只能更换照片、修改联系地址或手机号；{label}请在审核通过后修改（限1次）",
                           application=application)
    raise JourneyError("not_editable", f"申领当前状态为“{application.citizen_label}”，不能再修改",
                       application=application)


@contextmanager
def recording(application: Application, part: str, *, actor: str | None = None) -> Iterator[None]:
    """Make one change (a step's fields, or a photo) inside this block, in one transaction.

    The row is locked and its state read again; a submitted application's change is recorded first as a
    ``correct`` event, whose guarded update (``UPDATE … WHERE state='submitted'``) refuses it if a reviewer
    has just taken the application, and holds the row until the change commits.
    """
    with transaction.atomic():
        current = (Application.objects.select_for_update().filter(pk=application.pk)
                   .values_list("state", flat=True).first())
        if current != application.state:
            application.refresh_from_db()
            ensure_may_change(application, part)
        if application.state == State.SUBMITTED:
            try:
                lifecycle.perform(
                    application, "correct", actor=actor or f"citizen:{application.account_id}",
                    reason=f"审核开始前修改：{PART_LABELS[part]}", data={"parts": [part]},
                )
            except TransitionNotAllowed:
                application.refresh_from_db()
                ensure_may_change(application, part)
                raise
        yield


def still_to_fix(application: Application, uploads: dict[str, Upload]) -> dict[str, str]:
    """Photos the reviewer named that were not uploaded again since the return (kind → what to do)."""
    notice = return_notice(application)
    if notice is None:
        return {}
    todo = {}
    for part in ALL_PARTS:
        if part not in notice.named_parts or part not in UPLOAD_PARTS:
            continue
        upload = uploads.get(part)
        if upload is None or upload.created_at <= notice.returned_at:
            todo[part] = f"请按审核意见重新上传{PART_LABELS[part]}"
    return todo
