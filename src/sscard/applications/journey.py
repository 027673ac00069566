"""The citizen's journey as services: what the web pages and the channel API both call.

Views and API handlers stay thin: they turn requests into these calls and results into pages or
JSON. Every state change goes through ``lifecycle``; everything here is about forms, uploads and
the rules around them.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.accounts.models import Citizen
from sscard.applications import eligibility, lifecycle, retention
from sscard.applications.constants import CITIZEN_LABELS, OPEN_STATES, Channel, Relationship, State
from sscard.applications.forms_rules import validate_address, validate_contact, validate_pickup
from sscard.applications.models import (
    Application,
    PickupChange,
    PickupChangeState,
    Upload,
    UploadKind,
)
from sscard.applications.notices import notify_application
from sscard.delivery.constants import PickupMethod
from sscard.delivery.models import Branch
from sscard.privacy.fields import digest
from sscard.registry.lookup import check_identity, find_person
from sscard.registry.models import Person

log = logging.getLogger("sscard.applications")

MAX_FAMILY_MEMBERS = 8
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHANGEABLE_PICKUP_STATES = frozenset({State.APPROVED, State.PRODUCING, State.PRODUCTION_FAILED, State.PRODUCED})


class JourneyError(Exception):
    """A refusal a citizen must read: ``code`` is stable for the API, ``message`` is Chinese."""

    def __init__(self, code: str, message: str, *, errors: dict | None = None, application=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.application = application


# --- real name and eligibility -----------------------------------------------------------------


def bind_real_name(citizen: Citizen, name: str, id_number: str) -> Person:
    lookup = find_person(name, id_number)
    if lookup.errors:
        raise JourneyError("realname_mismatch", "实名信息没有通过核验", errors=lookup.errors)
    if lookup.person is None:
        result = eligibility.assess(eligibility.Facts(in_registry=False, id_type=lookup.id_check.type.value))
        if result.verdict == eligibility.Verdict.COUNTER_PERMIT:
            raise JourneyError("counter_required", result.title, errors={"id_number": "；".join(result.next_steps)})
        raise JourneyError("not_in_registry", result.title, errors={"id_number": result.reasons[0]})
    citizen.person = lookup.person
    citizen.save(update_fields=["person"])
    return lookup.person


def facts_for(person: Person | None, id_type: str, age: int | None, *, for_self: bool) -> eligibility.Facts:
    if person is None:
        return eligibility.Facts(in_registry=False, id_type=id_type, age=age, applying_for_self=for_self)
    third = person.existing_cards.filter(generation=3, status="normal").exists()
    return eligibility.Facts(
        in_registry=True, id_type=person.id_type, age=age, local_hukou=person.has_local_hukou,
        insurance=person.insurance, school=person.school, has_valid_third_generation_card=third,
        applying_for_self=for_self,
    )


def own_eligibility(person: Person) -> eligibility.Eligibility:
    """May this registered person apply online for themselves, and if not, what to do."""
    return eligibility.assess(facts_for(person, person.id_type, age_of(person), for_self=True))


def check_eligibility(name: str, id_number: str, *, for_self: bool = True) -> tuple[eligibility.Eligibility, Person | None]:
    lookup = find_person(name, id_number)
    if lookup.errors:
        raise JourneyError("invalid_identity", "请核对姓名和证件号码", errors=lookup.errors)
    id_type = lookup.id_check.type.value
    return eligibility.assess(facts_for(lookup.person, id_type, lookup.id_check.age, for_self=for_self)), lookup.person


# --- starting and filling in -------------------------------------------------------------------


def open_application_for(person: Person) -> Application | None:
    return Application.objects.filter(id_digest=digest(person.id_number), state__in=OPEN_STATES).first()


def start_application(
    citizen: Citizen,
    *,
    channel: str,
    relationship: str = Relationship.SELF,
    name: str = "",
    id_number: str = "",
) -> tuple[Application, bool]:
    """A draft for the citizen (or a family member), or their existing open application."""
    if channel not in Channel.values:
        raise JourneyError("invalid_channel", "申领渠道无效")
    if relationship == Relationship.SELF:
        if citizen.person is None:
            raise JourneyError("realname_required", "请先完成实名认证")
        person = citizen.person
        verdict = own_eligibility(person)
    else:
        if relationship not in Relationship.values:
            raise JourneyError("invalid_relationship", "代办关系无效")
        verdict, person = check_eligibility(name, id_number, for_self=False)
        if relationship == Relationship.CHILD and (age_of(person) if person else 99) >= 16:
            raise JourneyError("not_a_minor", "为子女代办只适用于未满16周岁的孩子;已满16周岁的请本人申领",
                               errors={"id_number": "孩子已满16周岁"})
        if relationship == Relationship.PARENT and person and age_of(person) < 16:
            raise JourneyError("not_a_parent", "这个证件号码的持有人未满16周岁,请选择“为子女代办”",
                               errors={"id_number": "持证人未满16周岁"})
        if person is not None and not _within_family_limit(citizen, person):
            raise JourneyError("family_limit", f"每个账号最多为{MAX_FAMILY_MEMBERS}位家人代办")
    if not verdict.may_apply_online or person is None:
        raise JourneyError(f"not_eligible_{verdict.verdict.value}", verdict.title,
                           errors={"eligibility": ";".join(verdict.reasons + verdict.next_steps)})
    existing = open_application_for(person)
    if existing is not None:
        return _existing_for(citizen, existing), False
    try:
        with transaction.atomic():
            application = lifecycle.create_draft(
                actor=f"citizen:{citizen.pk}", channel=channel, person=person, name=person.name,
                id_number=person.id_number, account=citizen, relationship=relationship,
                # Notices go to the account's phone unless the family member's own phone is entered.
                phone=citizen.phone,
            )
    except IntegrityError:
        # Two devices pressed "start" together: the database let one through; show that one.
        existing = open_application_for(person)
        if existing is None:
            raise
        return _existing_for(citizen, existing), False
    return application, True


def _existing_for(citizen: Citizen, existing: Application) -> Application:
    """The open application is shown only to the account that filed it: never reveal another's."""
    if existing.account_id != citizen.pk:
        raise JourneyError(
            "application_exists",
            "已有一份正在办理的申领(由家人或在窗口提交),可在“进度查询”里用姓名和身份证号查看进度",
        )
    return existing


def age_of(person: Person, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    b = person.birth_date
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def _within_family_limit(citizen: Citizen, person: Person) -> bool:
    members = set(
        Application.objects.filter(account=citizen).exclude(relationship=Relationship.SELF).values_list("id_digest", flat=True)
    )
    return person.id_digest in members or len(members) < MAX_FAMILY_MEMBERS


def applications_of(citizen: Citizen):
    return Application.objects.filter(account=citizen).select_related("branch").order_by("-created_at")


def _editable(application: Application) -> None:
    if application.state not in (State.DRAFT, State.RETURNED):
        raise JourneyError("not_editable", f"申领当前状态为“{application.citizen_label}”,不能再修改",
                           application=application)


STEPS = ("contact", "address", "pickup")


def save_step(application: Application, step: str, data: dict) -> dict:
    """Validate one step; keep what was typed in the draft either way. Returns errors (empty: saved)."""
    _editable(application)
    if step not in STEPS:
        raise JourneyError("invalid_step", "没有这一步")
    typed = {k: str(v) for k, v in data.items() if k in _FIELDS[step]}
    application.form_data = {**application.form_data, **typed}
    if step == "contact":
        clean, errors = validate_contact(typed)
    elif step == "address":
        clean, errors = validate_address(typed)
    else:
        clean, errors = validate_pickup(typed, branch_exists=lambda c: Branch.objects.filter(code=c, active=True).exists())
    if not errors:
        if "branch" in clean:
            clean["branch"] = Branch.objects.get(code=clean["branch"]) if clean["branch"] else None
        for key, value in clean.items():
            setattr(application, key, value)
    application.save()
    return errors


_FIELDS = {
    "contact": ("phone",),
    "address": ("town", "address_detail"),
    "pickup": ("pickup_method", "branch"),
}


# --- uploads -----------------------------------------------------------------------------------


def required_uploads(application: Application) -> list[str]:
    kinds = [UploadKind.ID_FRONT, UploadKind.ID_BACK, UploadKind.PORTRAIT]
    if application.relationship != Relationship.SELF:
        kinds.append(UploadKind.RELATIONSHIP_PROOF)
    return kinds


@dataclass
class UploadResult:
    upload: Upload | None
    ok: bool
    problems: list[dict] = field(default_factory=list)


def attach_upload(application: Application, kind: str, data: bytes) -> UploadResult:
    """Check the photo at once, store a re-encoded copy (no EXIF, UUID name), replace any earlier one."""
    _editable(application)
    if kind not in UploadKind.values:
        raise JourneyError("invalid_kind", "材料类型无效")
    if len(data) > MAX_UPLOAD_BYTES:
        return UploadResult(None, False, [_problem("file_too_large")])
    from sscard.photos import check_id_card, check_portrait

    try:
        if kind == UploadKind.PORTRAIT:
            report = check_portrait(data)
        elif kind in (UploadKind.ID_FRONT, UploadKind.ID_BACK):
            report = check_id_card(data, "front" if kind == UploadKind.ID_FRONT else "back")
        else:
            report = None  # relationship proofs (户口本 pages) are read by a reviewer, not by a machine
    except Exception:
        # The checks promise never to raise; if one does, the citizen gets a retry message, not a 500.
        log.exception("photo_check_crashed kind=%s", kind)
        return UploadResult(None, False, [{"code": "check_unavailable", "message": "暂时无法检查这张照片",
                                           "tip": "请稍后再上传一次;仍不行请拨打12333"}])
    stored = _reencode(data)
    if stored is None:
        problems = [p.to_dict() for p in report.problems] if report else [_problem("not_an_image")]
        return UploadResult(None, False, problems)
    problems = [p.to_dict() for p in report.problems] if report else []
    with transaction.atomic():
        previous = Upload.objects.filter(application=application, kind=kind).first()
        if previous:
            retention.delete_upload(previous)
        upload = Upload(
            application=application, kind=kind, ok=not problems, problems=problems,
            metrics=report.metrics if report else {}, sha256=hashlib.sha256(data).hexdigest(), original_size=len(data),
        )
        upload.file.save("upload.jpg", ContentFile(stored), save=False)
        upload.save()
        # An upload is activity on the draft: it restarts the retention period (retention.py).
        application.updated_at = timezone.now()
        Application.objects.filter(pk=application.pk).update(updated_at=application.updated_at)
    log.info("upload_checked kind=%s ok=%s codes=%s", kind, upload.ok, ",".join(p["code"] for p in problems))
    return UploadResult(upload, upload.ok, problems)


def _problem(code: str) -> dict:
    from sscard.photos.messages import message_for

    message, tip = message_for(code, "portrait")
    return {"code": code, "message": message, "tip": tip}


def _reencode(data: bytes) -> bytes | None:
    """A clean JPEG: orientation applied, EXIF and any hidden payload dropped, long side ≤ 2400 px."""
    from PIL import Image

    from sscard.photos.decode import DecodeError, decode

    try:
        decoded = decode(data, min_side=0, max_side=2400)
    except DecodeError:
        return None
    out = io.BytesIO()
    Image.fromarray(decoded.rgb).save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def delete_uploads(application: Application) -> None:
    for upload in application.uploads.all():
        upload.file.delete(save=False)
        upload.delete()


# --- submitting and after ----------------------------------------------------------------------


def missing_for_submission(application: Application) -> dict[str, str]:
    missing: dict[str, str] = {}
    if not application.phone:
        missing["phone"] = "请填写接收通知的手机号"
    if not application.town or not application.address_detail:
        missing["address_detail"] = "请填写联系地址(精确到门牌号)"
    if application.pickup_method not in PickupMethod.values:
        missing["pickup_method"] = "请选择领卡方式"
    elif application.pickup_method == PickupMethod.BRANCH and not application.branch_id:
        missing["branch"] = "请选择领卡网点"
    have = {u.kind: u for u in application.uploads.all()}
    for kind in required_uploads(application):
        upload = have.get(kind)
        if upload is None:
            missing[kind] = f"请上传{UploadKind(kind).label}"
        elif not upload.ok:
            missing[kind] = f"{UploadKind(kind).label}未通过检查,请按提示重新上传"
    return missing


def submit(application: Application, *, actor: str) -> Application:
    missing = missing_for_submission(application)
    if missing:
        raise JourneyError("incomplete", "还有内容没有填好", errors=missing, application=application)
    action = "submit" if application.state == State.DRAFT else "resubmit"
    lifecycle.perform(application, action, actor=actor)
    return application


def withdraw(application: Application, *, actor: str, reason: str = "申领人撤销") -> Application:
    with transaction.atomic():
        was_draft = application.state == State.DRAFT
        lifecycle.perform(application, "cancel", actor=actor, reason=reason)
        if was_draft:
            # Never submitted: its images are part of no case record, so they go with it.
            retention.discard_uploads(application)
    return application


def request_pickup_change(application: Application, data: dict, *, actor: str) -> PickupChange:
    if application.state not in CHANGEABLE_PICKUP_STATES:
        raise JourneyError("pickup_change_not_now", "只有审核通过后、寄出或送达网点之前可以修改领卡信息",
                           application=application)
    if application.pickup_change_requests.exists():
        raise JourneyError("pickup_change_used", "领卡信息只能修改1次,您已经提交过修改;如需再改请拨打12333",
                           application=application)
    clean, errors = validate_pickup(data, branch_exists=lambda c: Branch.objects.filter(code=c, active=True).exists())
    if not errors and clean.get("pickup_method") == PickupMethod.MAIL:
        address, errors = validate_address(data)
        clean.update(address)
    if errors:
        raise JourneyError("invalid_pickup", "请核对领卡信息", errors=errors, application=application)
    from sscard.workdays.services import add_working_days

    previous = {"pickup_method": application.pickup_method, "branch": application.branch.code if application.branch else "",
                "town": application.town, "address_detail": application.address_detail}
    try:
        with transaction.atomic():
            return PickupChange.objects.create(
                application=application, requested=clean, previous=previous,
                due=add_working_days(timezone.localdate(), 1),
            )
    except IntegrityError:
        raise JourneyError("pickup_change_used", "领卡信息只能修改1次,您已经提交过修改", application=application) from None


def decide_pickup_change(change: PickupChange, *, accept: bool, actor: str, reason: str = "") -> PickupChange:

    with transaction.atomic():
        locked = PickupChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != PickupChangeState.PENDING:
            raise JourneyError("already_decided", "这条修改申请已经处理过")
        application = Application.objects.select_for_update().get(pk=locked.application_id)
        if accept and application.state not in CHANGEABLE_PICKUP_STATES:
            accept, reason = False, "卡片已寄出或已送达网点,无法再修改"
        if accept:
            requested = locked.requested
            application.pickup_method = requested["pickup_method"]
            application.branch = Branch.objects.filter(code=requested.get("branch")).first() if requested.get("branch") else None
            if requested["pickup_method"] == PickupMethod.MAIL:
                application.town = requested["town"]
                application.address_detail = requested["address_detail"]
            application.pickup_changes += 1
            application.save()
        locked.state = PickupChangeState.ACCEPTED if accept else PickupChangeState.REFUSED
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason
        locked.save()
        notify_application(application, "pickup_change_accepted" if accept else "pickup_change_refused", reason=reason)
    return locked


# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    at: datetime.datetime
    detail: str = ""
    done: bool = True


HAPPY_PATH_MAIL = [State.SUBMITTED, State.REVIEWING, State.APPROVED, State.PRODUCING, State.MAILED, State.DELIVERED]
HAPPY_PATH_BRANCH = [State.SUBMITTED, State.REVIEWING, State.APPROVED, State.PRODUCING, State.AT_BRANCH, State.COLLECTED]
PUBLIC_DETAIL = {State.RETURNED, State.REFUSED}


def timeline(application: Application, *, public: bool = False) -> list[TimelineEntry]:
    """Like a parcel-tracking page: what happened (with dates), then what is still to come."""
    entries: list[TimelineEntry] = []
    seen: set[str] = set()
    for event in application.events.order_by("id"):
        if event.to_state in (State.DRAFT, State.PRODUCTION_FAILED, State.PRODUCED) and event.action != "cancel":
            continue
        label = CITIZEN_LABELS[State(event.to_state)]
        if event.action == "resubmit":
            label = "补正后重新提交"
        detail = ""
        if event.to_state in PUBLIC_DETAIL and event.reason:
            detail = event.reason
        if event.to_state == State.MAILED and not public:
            detail = f"运单号 {event.data.get('waybill', '')}".strip()
        if event.to_state == State.AT_BRANCH and not public and application.branch_id:
            detail = f"{application.branch.name}({application.branch.address})"
        if event.to_state == State.SUBMITTED and application.acceptance_number and not public:
            detail = f"受理编号 {application.acceptance_number}"
        entries.append(TimelineEntry(label, event.created_at, detail))
        seen.add(event.to_state)
    if application.state in OPEN_STATES and application.state != State.DRAFT:
        path = HAPPY_PATH_BRANCH if application.pickup_method == PickupMethod.BRANCH else HAPPY_PATH_MAIL
        current = State(application.state)
        start = path.index(current) + 1 if current in path else None
        if start is not None:
            entries += [TimelineEntry(CITIZEN_LABELS[s], None, "", done=False) for s in path[start:]]
    return entries


def public_lookup(name: str, id_number: str) -> Application | None:
    """For the public progress query: the latest application, if name and ID number agree.

    "No such application" and "the name does not match" get the same answer, so the query cannot
    be used to learn whether a number is known or whose it is.
    """
    id_check, name_check, errors = check_identity(name, id_number)
    if errors:
        raise JourneyError("invalid_identity", "请核对姓名和证件号码", errors=errors)
    application = (
        Application.objects.filter(id_digest=digest(id_check.normalized))
        .exclude(state=State.DRAFT)
        .order_by("-created_at")
        .first()
    )
    if application is None or application.name != name_check.normalized:
        return None
    return application
