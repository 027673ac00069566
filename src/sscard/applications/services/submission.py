"""What is still missing, submitting (or resubmitting after a return), what may be changed, and withdrawing."""

from __future__ import annotations

from django.db import transaction

from sscard.applications import lifecycle, queries, retention
from sscard.applications.constants import EDITABLE_STATES, OPEN_STATES, State
from sscard.applications.models import Application, UploadKind
from sscard.applications.services import correction
from sscard.applications.services.errors import JourneyError
from sscard.applications.services.uploads import required_uploads
from sscard.common.statemachine import TransitionNotAllowed
from sscard.delivery.constants import PickupMethod


def missing_for_submission(application: Application) -> dict[str, str]:
    """Field (or upload kind) → what to do about it; empty when the application can be submitted."""
    missing: dict[str, str] = {}
    if not application.phone:
        missing["phone"] = "请填写接收通知的手机号"
    if not application.town or not application.address_detail:
        missing["address_detail"] = "请填写联系地址（精确到门牌号）"
    if application.pickup_method not in PickupMethod.values:
        missing["pickup_method"] = "请选择领卡方式"
    elif application.pickup_method == PickupMethod.BRANCH and not application.branch_id:
        missing["branch"] = "请选择领卡网点"
    have = queries.uploads_by_kind(application)
    for kind in required_uploads(application):
        upload = have.get(kind)
        if upload is None:
            missing[kind] = f"请上传{UploadKind(kind).label}"
        elif not upload.ok:
            missing[kind] = f"{UploadKind(kind).label}未通过检查，请按提示重新上传"
    if application.state == State.RETURNED:
        for kind, todo in correction.still_to_fix(application, have).items():
            missing.setdefault(kind, todo)
    return missing


def offered_parts(application: Application, notice: correction.ReturnNotice | None = None) -> list[str]:
    """The parts the citizen is offered to change now: those allowed that this application has."""
    needed = set(required_uploads(application))
    allowed = correction.changeable_parts(application, notice)
    return [p for p in allowed if p not in correction.UPLOAD_PARTS or p in needed]


def already_accepted(application: Application) -> bool:
    """Submitted before and still on its way (not editable, not withdrawn or finished): a submit now is a
    retry (a dropped connection, a second tap), answered with the same acceptance number."""
    return (bool(application.acceptance_number) and application.state in OPEN_STATES
            and application.state not in EDITABLE_STATES)


def submit(application: Application, *, actor: str) -> Application:
    """Submit a draft, or resubmit after a return. Idempotent: submitting an application that is already
    accepted changes nothing (no second event or SMS) and returns it, acceptance number and all; a
    withdrawn or finished one is still refused (``TransitionNotAllowed``)."""
    if already_accepted(application):
        return application
    missing = missing_for_submission(application)
    if missing:
        raise JourneyError("incomplete", "还有内容没有填好", errors=missing, application=application)
    action = "submit" if application.state == State.DRAFT else "resubmit"
    try:
        lifecycle.perform(application, action, actor=actor)
    except TransitionNotAllowed:
        # Two submits of one application at once: the guarded update let the other through. If it was
        # accepted, this one is the same submit and gets the same answer.
        application.refresh_from_db()
        if already_accepted(application):
            return application
        raise
    return application


def may_withdraw(application: Application) -> bool:
    return "cancel" in lifecycle.TABLE.allowed_actions(application.state)


def withdraw(application: Application, *, actor: str, reason: str = "申领人撤销") -> Application:
    with transaction.atomic():
        was_draft = application.state == State.DRAFT
        lifecycle.perform(application, "cancel", actor=actor, reason=reason)
        if was_draft:
            # Never submitted: its images are part of no case record, so they go with it.
            retention.discard_uploads(application)
    return application
