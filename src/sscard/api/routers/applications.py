"""The citizen's operations, done by a channel for the user it asserts. Thin: the journey services do the work."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from sscard.accounts import realname
from sscard.api import schemas
from sscard.api.auth import UPLOAD_MAX_BYTES, ChannelAuth, acting_citizen, asserted_phone
from sscard.api.errors import ApiError
from sscard.applications import queries, retention
from sscard.applications.constants import MAX_UPLOAD_BYTES, Relationship, State
from sscard.applications.models import Application
from sscard.applications.services import correction, drafts, pickup_changes, progress, submission, uploads
from sscard.identity import check_id_number, mask_id_number, mask_name, mask_phone
from sscard.privacy.fields import digest

router = Router(tags=["申领"], auth=ChannelAuth())

ERRORS = {400: schemas.ErrorOut, 401: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut,
          409: schemas.ErrorOut, 413: schemas.ErrorOut, 422: schemas.ErrorOut, 429: schemas.ErrorOut}


def _responses(ok: dict | None = None, **overrides) -> dict:
    return {**ERRORS, **(ok or {}), **{int(k[1:]): v for k, v in overrides.items()}}


def _actor(request: HttpRequest, citizen) -> str:
    return f"citizen:{citizen.pk} channel:{request.channel_partner.app_id}"[:80]


def _own(request: HttpRequest, application_id: uuid.UUID) -> tuple:
    """The user's own application (self or family), or 404 — never a hint that it exists."""
    citizen = acting_citizen(request)
    application = queries.own_application(citizen, application_id)
    if application is None:
        raise ApiError(404, "application_not_found", "没有找到这份申领")
    return citizen, application


def application_out(application: Application) -> dict:
    branch = application.branch
    notice = correction.return_notice(application)
    changeable = submission.offered_parts(application, notice)
    return {
        "id": application.public_id,
        "acceptance_number": application.acceptance_number,
        "state": application.state,
        "state_label": application.citizen_label,
        "channel": application.channel,
        "kind": application.kind,
        "relationship": application.relationship,
        "name": mask_name(application.name),
        "id_number": mask_id_number(application.id_number),
        "phone": mask_phone(application.phone) if application.phone else "",
        "town": application.town,
        "address_detail": application.address_detail,
        "pickup_method": application.pickup_method,
        "branch": {"code": branch.code, "name": branch.name, "address": branch.address} if branch else None,
        "pickup_changes": application.pickup_changes,
        "decision_due": application.decision_due,
        "draft_expires_at": retention.draft_expires_at(application) if application.state == State.DRAFT else None,
        "editable": bool(changeable),
        "changeable_parts": changeable,
        "return_reasons": [{"code": r.code, "text": r.text, "tip": r.tip, "part": r.part} for r in notice.reasons]
        if notice else [],
        # A return without itemised reasons (e.g. after a failed production) says why in its summary.
        "return_note": (notice.note or ("" if notice.reasons else notice.summary)) if notice else None,
        "form_data": {str(k): str(v) for k, v in (application.form_data or {}).items()},
        "created_at": application.created_at,
        "updated_at": application.updated_at,
    }


# Real-name refusals about the account (not about what was typed) and their HTTP status; the rest are 422.
REALNAME_STATUS = {"realname_bound_elsewhere": 409, "binding_locked": 409, "too_many_attempts": 429}


def bind(citizen, name: str, id_number: str):
    """Bind for the channel's user. Limited per account only: the client address is the partner's server,
    shared by all its users (the partner as a whole has its own rate limit)."""
    try:
        return realname.bind_real_name(citizen, name, id_number)
    except realname.RealNameRefused as exc:
        status = REALNAME_STATUS.get(exc.code, 422)
        raise ApiError(status, exc.code, exc.message, errors={str(k): str(v) for k, v in exc.errors.items()}) from None


@router.get("/me", response=_responses({200: schemas.MeOut}), summary="当前用户")
def me(request):
    citizen = acting_citizen(request)
    person = citizen.person if citizen else None
    return {
        "phone": mask_phone(asserted_phone(request)),
        "real_name_bound": person is not None,
        "name": mask_name(person.name) if person else "",
        "id_number": mask_id_number(person.id_number) if person else "",
    }


@router.post("/me/realname", response=_responses({200: schemas.MeOut}), summary="实名绑定")
def bind_real_name(request, payload: schemas.IdentityIn):
    """用渠道已核验的姓名和证件号码,为当前用户绑定实名(须在中山社保/户籍登记中能查到)。
    姓名不符与号码未登记同样返回 422 realname_mismatch;此人已绑定在其他手机号上 409 realname_bound_elsewhere;
    本人申领未办结时不能改绑 409 binding_locked;每个用户每小时限5次,超过 429 too_many_attempts。"""
    citizen = acting_citizen(request, create=True)
    person = bind(citizen, payload.name, payload.id_number)
    return {
        "phone": citizen.masked_phone,
        "real_name_bound": True,
        "name": mask_name(person.name),
        "id_number": mask_id_number(person.id_number),
    }


@router.get("/applications", response=_responses({200: list[schemas.ApplicationOut]}), summary="我的申领（含亲情代办）")
def list_applications(request):
    citizen = acting_citizen(request)
    if citizen is None:
        return []
    return [application_out(a) for a in queries.applications_of(citizen)[:100]]


@router.post("/applications", response=_responses({200: schemas.StartOut, 201: schemas.StartOut}),
             summary="开始申领（本人或亲情代办）")
def start_application(request, payload: schemas.StartIn):
    """本人申领:先实名绑定(或在本请求中同时提供姓名和证件号码);代办:提供家人的姓名和证件号码。
    此人已有未完成的申领时返回那一份(created=false,HTTP 200)。"""
    citizen = acting_citizen(request, create=True)
    if payload.relationship == Relationship.SELF and (payload.name or payload.id_number):
        if citizen.person is None or citizen.person.id_digest != _digest_or_empty(payload.id_number):
            bind(citizen, payload.name, payload.id_number)
    application, created = drafts.start_application(
        citizen, channel=request.channel_partner.channel, relationship=payload.relationship,
        name=payload.name, id_number=payload.id_number,
    )
    return Status(201 if created else 200, {"created": created, "application": application_out(application)})


def _digest_or_empty(id_number: str) -> str:
    check = check_id_number(id_number)
    return digest(check.normalized) if check.valid else ""


@router.get("/applications/{uuid:application_id}", response=_responses({200: schemas.ApplicationOut}),
            summary="申领详情")
def get_application(request, application_id: uuid.UUID):
    _, application = _own(request, application_id)
    return application_out(application)


def _save_step(request, application_id: uuid.UUID, step: str, data: dict):
    citizen, application = _own(request, application_id)
    errors = drafts.save_step(application, step, data, actor=_actor(request, citizen))
    if errors:
        # What was typed is kept in the draft (form_data) and sent back beside the errors.
        raise ApiError(422, "invalid_fields", "请核对填写的内容", errors=errors,
                       form_data={str(k): str(v) for k, v in application.form_data.items()})
    return {"saved": True, "application": application_out(application)}


@router.put("/applications/{uuid:application_id}/contact",
            response=_responses({200: schemas.StepOut}, r422=schemas.InputErrorOut), summary="填写：联系方式")
def save_contact(request, application_id: uuid.UUID, payload: schemas.ContactIn):
    return _save_step(request, application_id, "contact", payload.dict())


@router.put("/applications/{uuid:application_id}/address",
            response=_responses({200: schemas.StepOut}, r422=schemas.InputErrorOut), summary="填写：联系地址")
def save_address(request, application_id: uuid.UUID, payload: schemas.AddressIn):
    return _save_step(request, application_id, "address", payload.dict())


@router.put("/applications/{uuid:application_id}/pickup",
            response=_responses({200: schemas.StepOut}, r422=schemas.InputErrorOut), summary="填写：领卡方式")
def save_pickup(request, application_id: uuid.UUID, payload: schemas.PickupIn):
    return _save_step(request, application_id, "pickup", payload.dict())


@router.post("/applications/{uuid:application_id}/uploads/{kind}", auth=ChannelAuth(max_body=UPLOAD_MAX_BYTES),
             response=_responses({200: schemas.UploadOut}, r422=schemas.UploadErrorOut, r503=schemas.ErrorOut),
             summary="上传材料")
def upload(request, application_id: uuid.UUID, kind: schemas.UploadKindName, file: File[UploadedFile]):
    """multipart/form-data,字段名 file,最大20MB。立即返回照片检查结果;未通过的照片需重新上传。
    需补正的申领只能上传审核意见里列出的材料(changeable_parts);已受理、尚未开始人工审核的申领可以更换照片,
    但只有通过检查的照片才会替换原照片(未通过时 422 upload_rejected,原照片保持不变)。"""
    citizen, application = _own(request, application_id)
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ApiError(413, "file_too_large", f"文件不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB",
                       errors={"file": uploads.too_large()["tip"]})
    try:
        result = uploads.attach_upload(application, kind, file.read(), actor=_actor(request, citizen))
    except uploads.StorageUnavailable as exc:
        # Our store failed, not the partner's request: nothing changed, the same call may simply be repeated.
        raise ApiError(503, exc.problem["code"], exc.problem["message"], errors={"file": exc.problem["tip"]}) from exc
    if result.upload is None:
        kept = any(p.get("code") == uploads.PREVIOUS_KEPT["code"] for p in result.problems)
        raise ApiError(422, "upload_rejected",
                       uploads.PREVIOUS_KEPT["message"] if kept else "这个文件不能使用，请按提示重新上传",
                       errors={"file": "；".join(p.get("message", "") for p in result.problems)},
                       problems=result.problems)
    return {"kind": kind, "ok": result.ok, "stored": True, "problems": result.problems, "warnings": result.warnings}


@router.get("/applications/{uuid:application_id}/missing", response=_responses({200: schemas.MissingOut}),
            summary="还缺什么")
def missing(request, application_id: uuid.UUID):
    _, application = _own(request, application_id)
    gaps = submission.missing_for_submission(application)
    return {"complete": not gaps, "missing": gaps}


@router.post("/applications/{uuid:application_id}/submit", response=_responses({200: schemas.SubmitOut}),
             summary="提交申领（或补正后重新提交）")
def submit(request, application_id: uuid.UUID):
    """草稿:提交申领。需补正(state=returned):按 return_reasons 改好后用同一个接口重新提交,受理编号不变,
    预计审核完成日期重新计算,并再发受理短信;审核意见要求更换的照片未重新上传时 422 incomplete。
    可安全重试:已受理的申领再次提交返回 200 和同一个受理编号,不再发短信;已撤销或已办结的返回 409。"""
    citizen, application = _own(request, application_id)
    submission.submit(application, actor=_actor(request, citizen))
    application.refresh_from_db()
    return {"acceptance_number": application.acceptance_number, "decision_due": application.decision_due,
            "application": application_out(application)}


@router.get("/applications/{uuid:application_id}/timeline", response=_responses({200: list[schemas.TimelineEntryOut]}),
            summary="办理进度")
def timeline(request, application_id: uuid.UUID):
    _, application = _own(request, application_id)
    return [{"label": e.label, "at": e.at, "detail": e.detail, "done": e.done} for e in progress.timeline(application)]


@router.post("/applications/{uuid:application_id}/pickup-change",
             response=_responses({201: schemas.PickupChangeOut}), summary="申请修改领卡信息（限1次）")
def pickup_change(request, application_id: uuid.UUID, payload: schemas.PickupChangeIn):
    citizen, application = _own(request, application_id)
    change = pickup_changes.request_pickup_change(application, payload.dict(), actor=_actor(request, citizen))
    return Status(201, {"state": change.state, "due": change.due,
                        "requested": {str(k): str(v) for k, v in change.requested.items()}})


@router.post("/applications/{uuid:application_id}/withdraw", response=_responses({200: schemas.ApplicationOut}),
             summary="撤销申领")
def withdraw(request, application_id: uuid.UUID, payload: schemas.WithdrawIn | None = None):
    _require_object_or_empty(request)
    citizen, application = _own(request, application_id)
    reason = (payload.reason.strip() if payload else "") or "申领人撤销"
    submission.withdraw(application, actor=_actor(request, citizen), reason=reason)
    application.refresh_from_db()
    return application_out(application)


def _require_object_or_empty(request) -> None:
    """The withdraw body is optional (docs/api.md), but when there is one it is ``{"reason": …}``: ninja reads
    ``null`` (and would read ``[]``) as "no body", and a withdrawal is not undone, so anything but an object
    is refused before anything happens."""
    raw = request.body.strip()
    if not raw:
        return
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_request", "请求内容应为JSON对象，如 {\"reason\": \"不需要了\"}；不填原因可以不带请求内容",
                       errors={"body": "应为JSON对象"})
