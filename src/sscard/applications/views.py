"""Citizen pages for the application journey. Thin: each calls a service or a query and renders."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sscard.accounts.web import citizen_required, realname_required
from sscard.addresses import TOWNS
from sscard.applications import queries, retention
from sscard.applications.constants import (
    CHANGEABLE_PICKUP_STATES,
    MAX_UPLOAD_BYTES,
    MULTIPART_ENVELOPE_BYTES,
    Channel,
    Relationship,
    State,
)
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.services import correction, drafts, pickup_changes, progress, submission, uploads
from sscard.applications.services.eligibility import own_eligibility
from sscard.applications.services.errors import JourneyError
from sscard.applications.services.family import MAX_FAMILY_MEMBERS
from sscard.common import ratelimit
from sscard.common.clientaddr import client_address
from sscard.common.statemachine import TransitionNotAllowed
from sscard.common.text import control_char_errors, storable
from sscard.delivery import queries as branches
from sscard.delivery.constants import MAIL_POSTAGE_YUAN

STEP_LABELS = [("contact", "联系方式"), ("address", "地址"), ("pickup", "领卡方式"), ("uploads", "上传材料"),
               ("confirm", "确认提交")]
STEP_ORDER = [s for s, _ in STEP_LABELS]

UPLOAD_TIPS = {
    UploadKind.ID_FRONT: "拍身份证有照片的一面，四个角都要拍进去，不要反光",
    UploadKind.ID_BACK: "拍身份证有国徽的一面，和人像面分开上传，不要拼在一张图里",
    UploadKind.PORTRAIT: "近6个月白底免冠照，穿深色上衣，头发不要挡住眉毛和耳朵，不要美颜；照片大也没关系，系统会自动处理",
    UploadKind.RELATIONSHIP_PROOF: "户口本上能看出你们关系的那一页（为孩子代办也可以用出生医学证明）",
}


def _channel(request) -> str:
    """Pages opened inside WeChat come from the official account (H5); the rest from the website."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    return Channel.H5 if "MicroMessenger" in agent else Channel.WEBSITE


def _own(request, public_id) -> Application:
    # Someone else's application is "not found", never "forbidden": its existence is not revealed.
    application = queries.own_application(request.citizen, public_id)
    if application is None:
        raise Http404
    return application


def _actor(request) -> str:
    return f"citizen:{request.citizen.pk}"


def _detail_url(application: Application) -> str:
    return reverse("citizen:detail", args=[application.public_id])


def _step_url(application: Application, step: str) -> str:
    return reverse("citizen:step", args=[application.public_id, step])


def _correct_url(application: Application) -> str:
    return reverse("citizen:correct", args=[application.public_id])


# States with a correction page: returned (fix and resubmit), submitted (fix while waiting), reviewing (says why not).
CORRECTION_STATES = frozenset({State.RETURNED, State.SUBMITTED, State.REVIEWING})


def _resume_url(application: Application) -> str:
    if application.state == State.RETURNED:
        return _correct_url(application)
    step = drafts.resume_step(application) if application.state == State.DRAFT else None
    return _step_url(application, step) if step else _detail_url(application)


def home(request):
    return render(request, "citizen/home.html")


@realname_required
def start(request):
    """Eligibility explained, then a draft (or the existing open application)."""
    citizen = request.citizen
    verdict = own_eligibility(citizen.person)
    existing = queries.open_application_for(citizen.person)
    if request.method == "POST" and verdict.may_apply_online:
        try:
            application, created = drafts.start_application(citizen, channel=_channel(request))
        except JourneyError as exc:
            messages.error(request, exc.message)
            return redirect("citizen:start")
        if not created:
            messages.info(request, "您已有一份正在办理的申领，已为您打开")
        return redirect(_resume_url(application))
    # An application filed by a family member's account is not shown here: only through the progress query.
    elsewhere = existing is not None and existing.account_id != citizen.pk
    return render(request, "citizen/start.html",
                  {"verdict": verdict, "existing": None if elsewhere else existing, "elsewhere": elsewhere})


@realname_required
def family(request):
    citizen = request.citizen
    values = {k: request.POST.get(k, "") for k in ("relationship", "name", "id_number")}
    errors, notice = {}, ""
    if request.method == "POST" and (errors := control_char_errors(values)):
        values = {k: storable(v) for k, v in values.items()}
    elif request.method == "POST":
        relationship = values["relationship"] if values["relationship"] in (Relationship.PARENT, Relationship.CHILD) else ""
        if not relationship:
            errors["relationship"] = "请选择为谁代办"
        else:
            try:
                application, created = drafts.start_application(
                    citizen, channel=_channel(request), relationship=relationship,
                    name=values["name"], id_number=values["id_number"],
                )
                if not created:
                    messages.info(request, "这位家人已有一份正在办理的申领，已为您打开")
                return redirect(_resume_url(application))
            except JourneyError as exc:
                errors, notice = exc.errors, exc.message
    return render(request, "citizen/family.html", {
        "values": values, "errors": errors, "notice": notice, "members": queries.family_applications_of(citizen),
        "limit": MAX_FAMILY_MEMBERS,
    }, status=400 if (errors or notice) and request.method == "POST" else 200)


@citizen_required
def my_applications(request):
    return render(request, "citizen/my.html", {"applications": queries.applications_of(request.citizen)})


def _step_context(application, step, **extra):
    return {"application": application, "step": step, "steps": STEP_LABELS, "step_index": STEP_ORDER.index(step),
            **extra}


@citizen_required
def step(request, public_id, step):
    application = _own(request, public_id)
    # Past the draft, a form step is a correction: only the parts correction allows, then back to its page.
    correcting = application.state != State.DRAFT
    if step == "confirm" and request.method == "POST" and submission.already_accepted(application):
        # The same submit again (a dropped connection, a second tap): the acceptance page, not a refusal.
        messages.success(request, f"您的申领已受理，编号{application.acceptance_number}")
        return redirect(_detail_url(application))
    if correcting and step not in drafts.STEPS:
        return redirect(_correct_url(application) if application.state in CORRECTION_STATES else _detail_url(application))
    if step == "uploads":
        return _uploads(request, application)
    if step == "confirm":
        return _confirm(request, application)
    if step not in drafts.STEPS:
        raise Http404
    errors = {}
    try:
        if correcting:
            correction.ensure_may_change(application, step)
        if request.method == "POST":
            errors = drafts.save_step(application, step, request.POST, actor=_actor(request))
    except JourneyError as exc:
        return _refused(request, application, exc)
    if request.method == "POST" and not errors:
        if correcting:
            messages.success(request, f"{correction.PART_LABELS[step]}已修改")
            return redirect(_correct_url(application))
        return redirect(_step_url(application, STEP_ORDER[STEP_ORDER.index(step) + 1]))
    values = {
        "phone": application.phone, "town": application.town, "address_detail": application.address_detail,
        "pickup_method": application.pickup_method, "branch": application.branch.code if application.branch_id else "",
        **application.form_data,
    }
    phone_hint = "受理、审核、寄卡的短信都发到这个号码"
    if application.relationship != Relationship.SELF:
        phone_hint += "；可以改成家人自己的手机号，不改就发到您的手机"
    return render(request, f"citizen/step_{step}.html", _step_context(
        application, step, values=values, errors=errors, towns=TOWNS, branches=branches.active_branches(),
        postage=MAIL_POSTAGE_YUAN, phone_hint=phone_hint, correcting=correcting,
        back_url=_correct_url(application) if correcting else "",
    ), status=400 if errors else 200)


def _refused(request, application, exc: JourneyError):
    """A change the citizen may not make now: the correction page says why (409 on a POST)."""
    application.refresh_from_db()
    if request.method != "POST":
        messages.error(request, exc.message)
        return redirect(_correct_url(application) if application.state in CORRECTION_STATES else _detail_url(application))
    return _correct_page(request, application, refusal=exc.message, status=409)


@citizen_required
def correct(request, public_id):
    """补正: the reviewer's reasons and exactly the parts they named, then 重新提交; or, while the application
    waits for a reviewer, photos, address and phone (saved at once, each change recorded)."""
    application = _own(request, public_id)
    if application.state == State.DRAFT:
        return redirect(_resume_url(application))
    if application.state not in CORRECTION_STATES:
        return redirect(_detail_url(application))
    if request.method != "POST":
        return _correct_page(request, application)
    if application.state != State.RETURNED:
        message = correction.UNDER_REVIEW_MESSAGE if application.state == State.REVIEWING else "申领已在审核队列中，修改会马上保存，不需要重新提交"
        return _correct_page(request, application, refusal=message, status=409)
    try:
        submission.submit(application, actor=_actor(request))
    except JourneyError as exc:
        return _correct_page(request, application, refusal=exc.message, missing=exc.errors, status=400)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(_detail_url(application))
    due = application.decision_due
    messages.success(request, f"已重新提交，预计{due.year}年{due.month}月{due.day}日前完成审核，结果会短信通知您")
    return redirect(_detail_url(application))


def _correct_page(request, application, *, refusal: str = "", missing: dict | None = None, status: int = 200):
    parts = submission.offered_parts(application)
    have = queries.uploads_by_kind(application)
    return render(request, "citizen/correct.html", {
        "application": application,
        "notice": correction.return_notice(application),
        "upload_cards": [(k, UploadKind(k).label, have.get(k), UPLOAD_TIPS[k]) for k in parts if k in UploadKind.values],
        "step_parts": [(p, correction.PART_LABELS[p], _step_value(application, p)) for p in parts if p in drafts.STEPS],
        "refusal": refusal, "missing": missing or {}, "postage": MAIL_POSTAGE_YUAN,
    }, status=status)


def _step_value(application: Application, step: str) -> str:
    """What the step holds now, as the citizen reads it."""
    if step == "contact":
        return application.masked_phone
    if step == "address":
        return f"中山市{application.get_town_display()}{application.address_detail}" if application.town else ""
    if application.pickup_method == "branch" and application.branch_id:
        return f"网点自取：{application.branch.name}"
    return application.get_pickup_method_display()


def _uploads(request, application):
    have = queries.uploads_by_kind(application)
    kinds = [(k, UploadKind(k).label, have.get(k), UPLOAD_TIPS[k]) for k in uploads.required_uploads(application)]
    return render(request, "citizen/step_uploads.html", _step_context(application, "uploads", kinds=kinds))


@citizen_required
@require_POST
def upload(request, public_id, kind):
    """htmx: check the photo at once and return its card (problems and tips), or the page on plain POST."""
    application = _own(request, public_id)
    if kind not in UploadKind.values:
        raise Http404
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    context = {"application": application, "kind": kind, "label": UploadKind(kind).label, "tip": UPLOAD_TIPS[kind]}
    status = 200
    if size > MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES:
        files = None  # refused on the declared length alone, before a byte of the body is read
    else:
        files = request.FILES if size or not _is_chunked(request) else _chunked_files(request)
    if files is None:
        # Refused before the body is read (or, sent without a length, once the limit is passed): a 200 MB
        # "photo" costs us nothing.
        context["problems"] = [uploads.too_large()]
        status = 413
    elif "file" not in files:
        context["problems"] = [{"code": "no_file", "message": "请先选择一张照片", "tip": ""}]
        status = 400
    else:
        try:
            result = uploads.attach_upload(application, kind, files["file"].read(), actor=_actor(request))
        except uploads.StorageUnavailable as exc:
            # Our store failed, not the person: the earlier photo and the draft are untouched (uploads._replace).
            context["problems"] = [exc.problem]
            status = 503
        except JourneyError as exc:
            context["problems"] = [{"code": exc.code, "message": exc.message, "tip": ""}]
            status = 409
        else:
            context["upload"], context["problems"] = result.upload, result.problems
            status = 200 if result.upload else 400
    if context.get("upload") is None:
        context["upload"] = queries.upload_of(application, kind)
    if request.htmx:
        response = render(request, "partials/upload_card.html", context, status=status)
        if status == 503:
            response["Retry-After"] = "60"
        return response
    if status >= 400 or context["problems"]:
        messages.error(request, f"{context['label']}:" + ";".join(p["message"] for p in context["problems"]))
    else:
        messages.success(request, f"{context['label']}已通过检查")
    return redirect(_step_url(application, "uploads") if application.state == State.DRAFT else _correct_url(application))


def _is_chunked(request) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def _chunked_files(request):
    """The files of a body sent without a Content-Length (chunked), or None when it is over the limit.

    Django reads no body without a length (its stream is limited to 0 bytes), so the photo would look missing;
    the body is read here up to one byte past the limit, never more, and parsed by Django's own parser.
    """
    limit = MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES
    stream, chunks, read = request.META["wsgi.input"], [], 0
    while read <= limit:
        chunk = stream.read(min(64 * 1024, limit + 1 - read))
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
    if read > limit:
        return None
    body = b"".join(chunks)
    meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
    try:
        _, files = MultiPartParser(meta, io.BytesIO(body), request.upload_handlers, request.encoding).parse()
    except MultiPartParserError:
        return {}
    return files


@citizen_required
def upload_image(request, public_id, kind):
    """Uploaded images are private: served only to the account that owns the application."""
    application = _own(request, public_id)
    item = get_object_or_404(Upload, application=application, kind=kind)
    response = FileResponse(item.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _confirm(request, application):
    missing = submission.missing_for_submission(application)
    if request.method == "POST":
        try:
            submission.submit(application, actor=_actor(request))
        except JourneyError as exc:
            missing = exc.errors
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(_detail_url(application))
        else:
            messages.success(request, f"您的申领已受理，编号{application.acceptance_number}")
            return redirect(_detail_url(application))
    have = queries.uploads_by_kind(application)
    return render(request, "citizen/step_confirm.html", _step_context(
        application, "confirm", missing=missing,
        kinds=[(k, UploadKind(k).label, _upload_status(have.get(k))) for k in uploads.required_uploads(application)],
        postage=MAIL_POSTAGE_YUAN,
    ), status=400 if request.method == "POST" and missing else 200)


def _upload_status(upload) -> str:
    if upload is None:
        return "未上传"
    return "已通过检查" if upload.ok else "未通过检查，请重新上传"


@citizen_required
def detail(request, public_id):
    application = _own(request, public_id)
    draft = application.state == State.DRAFT
    return render(request, "citizen/detail.html", {
        "application": application, "timeline": progress.timeline(application),
        "change": queries.pickup_change_of(application),
        "can_change_pickup": pickup_changes.may_request_change(application),
        "can_withdraw": submission.may_withdraw(application),
        "resume_url": _resume_url(application),
        "correct_url": _correct_url(application),
        "draft_expires": retention.draft_expires_at(application) if draft else None,
        "retention_days": settings.DRAFT_RETENTION_DAYS,
        "notice": correction.return_notice(application),
    })


@citizen_required
@require_POST
def withdraw(request, public_id):
    application = _own(request, public_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请勾选“确认撤销”后再提交")
        return redirect(_detail_url(application))
    try:
        submission.withdraw(application, actor=_actor(request))
        messages.success(request, "申领已撤销")
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message + "（卡片已进入制作，如需处理请拨打12333）")
    return redirect(_detail_url(application))


@citizen_required
def pickup_change(request, public_id):
    application = _own(request, public_id)
    values = {k: request.POST.get(k, "") for k in ("pickup_method", "branch", "town", "address_detail")}
    if request.method == "GET":
        values = {"pickup_method": application.pickup_method, "branch": application.branch.code if application.branch_id else "",
                  "town": application.town, "address_detail": application.address_detail}
    errors, notice = {}, ""
    if request.method == "POST":
        try:
            pickup_changes.request_pickup_change(application, request.POST, actor=_actor(request))
            messages.success(request, "修改申请已提交，1个工作日内审核，结果会短信通知您")
            return redirect(_detail_url(application))
        except JourneyError as exc:
            errors, notice = exc.errors, exc.message
    return render(request, "citizen/pickup_change.html", {
        "application": application, "values": values, "errors": errors, "notice": notice, "towns": TOWNS,
        "branches": branches.active_branches(), "postage": MAIL_POSTAGE_YUAN,
        "used": queries.pickup_change_of(application) is not None,
        "allowed_now": application.state in CHANGEABLE_PICKUP_STATES,
    }, status=400 if errors or notice else 200)


def public_progress(request):
    """Anyone may look up progress by name + ID number: masked, no address, no phone; rate-limited."""
    values = {"name": request.POST.get("name", ""), "id_number": request.POST.get("id_number", "")}
    errors, result, searched = {}, None, False
    if request.method == "POST" and (errors := control_char_errors(values)):
        values = {k: storable(v) for k, v in values.items()}
    elif request.method == "POST":
        if not ratelimit.hit(f"progress-ip:{client_address(request)}", limit=20, window=3600):
            errors["id_number"] = "查询太频繁，请1小时后再试"
        else:
            try:
                result = queries.public_lookup(values["name"], values["id_number"])
                searched = True
            except JourneyError as exc:
                errors = exc.errors
    timeline = progress.timeline(result, public=True) if result else []
    return render(request, "citizen/progress.html", {
        "values": values, "errors": errors, "result": result, "timeline": timeline, "searched": searched,
    }, status=429 if "查询太频繁" in errors.get("id_number", "") else (400 if errors else 200))
