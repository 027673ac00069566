"""Citizen pages for the application journey. Thin: each calls ``journey`` and renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sscard.accounts.web import citizen_required, client_ip, realname_required
from sscard.addresses import TOWNS
from sscard.applications import journey, retention
from sscard.applications.constants import Channel, Relationship, State
from sscard.applications.models import Application, Upload, UploadKind
from sscard.common import ratelimit
from sscard.common.statemachine import TransitionNotAllowed
from sscard.delivery.constants import MAIL_POSTAGE_YUAN
from sscard.delivery.models import Branch

STEP_LABELS = [("contact", "联系方式"), ("address", "地址"), ("pickup", "领卡方式"), ("uploads", "上传材料"),
               ("confirm", "确认提交")]


def _channel(request) -> str:
    """Pages opened inside WeChat come from the official account (H5); the rest from the website."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    return Channel.H5 if "MicroMessenger" in agent else Channel.WEBSITE


def _own(request, public_id) -> Application:
    # Someone else's application is "not found", never "forbidden": its existence is not revealed.
    return get_object_or_404(Application.objects.select_related("branch"), public_id=public_id, account=request.citizen)


def home(request):
    return render(request, "citizen/home.html")


@realname_required
def start(request):
    """Eligibility explained, then a draft (or the existing open application)."""
    citizen = request.citizen
    person = citizen.person
    verdict = journey.own_eligibility(person)
    existing = journey.open_application_for(person)
    if request.method == "POST" and verdict.may_apply_online:
        try:
            application, created = journey.start_application(citizen, channel=_channel(request))
        except journey.JourneyError as exc:
            messages.error(request, exc.message)
            return redirect("citizen:start")
        if not created:
            messages.info(request, "您已有一份正在办理的申领,已为您打开")
        return redirect(_resume_url(application))
    # An application filed by a family member's account is not shown here: only through the progress query.
    elsewhere = existing is not None and existing.account_id != citizen.pk
    return render(request, "citizen/start.html",
                  {"verdict": verdict, "existing": None if elsewhere else existing, "elsewhere": elsewhere})


def _resume_url(application: Application) -> str:
    if application.state not in (State.DRAFT, State.RETURNED):
        return f"/apply/{application.public_id}/"
    if not application.phone:
        step = "contact"
    elif not application.address_detail:
        step = "address"
    elif not application.pickup_method:
        step = "pickup"
    else:
        step = "uploads"
    return f"/apply/{application.public_id}/{step}/"


@realname_required
def family(request):
    citizen = request.citizen
    values = {k: request.POST.get(k, "") for k in ("relationship", "name", "id_number")}
    errors, notice = {}, ""
    if request.method == "POST":
        relationship = values["relationship"] if values["relationship"] in (Relationship.PARENT, Relationship.CHILD) else ""
        if not relationship:
            errors["relationship"] = "请选择为谁代办"
        else:
            try:
                application, created = journey.start_application(
                    citizen, channel=_channel(request), relationship=relationship,
                    name=values["name"], id_number=values["id_number"],
                )
                if not created:
                    messages.info(request, "这位家人已有一份正在办理的申领,已为您打开")
                return redirect(_resume_url(application))
            except journey.JourneyError as exc:
                errors, notice = exc.errors, exc.message
    members = journey.applications_of(citizen).exclude(relationship=Relationship.SELF)
    return render(request, "citizen/family.html", {
        "values": values, "errors": errors, "notice": notice, "members": members,
        "limit": journey.MAX_FAMILY_MEMBERS,
    }, status=400 if (errors or notice) and request.method == "POST" else 200)


@citizen_required
def my_applications(request):
    return render(request, "citizen/my.html", {"applications": journey.applications_of(request.citizen)})


def _step_context(application, step, **extra):
    order = [s for s, _ in STEP_LABELS]
    return {"application": application, "step": step, "steps": STEP_LABELS, "step_index": order.index(step), **extra}


@citizen_required
def step(request, public_id, step):
    application = _own(request, public_id)
    if application.state not in (State.DRAFT, State.RETURNED):
        return redirect(f"/apply/{application.public_id}/")
    if step == "uploads":
        return _uploads(request, application)
    if step == "confirm":
        return _confirm(request, application)
    if step not in journey.STEPS:
        raise Http404
    errors = {}
    if request.method == "POST":
        errors = journey.save_step(application, step, request.POST)
        if not errors:
            order = [s for s, _ in STEP_LABELS]
            return redirect(f"/apply/{application.public_id}/{order[order.index(step) + 1]}/")
    values = {
        "phone": application.phone, "town": application.town, "address_detail": application.address_detail,
        "pickup_method": application.pickup_method, "branch": application.branch.code if application.branch_id else "",
        **application.form_data,
    }
    branches = Branch.objects.filter(active=True).order_by("town", "code")
    phone_hint = "受理、审核、寄卡的短信都发到这个号码"
    if application.relationship != Relationship.SELF:
        phone_hint += ";可以改成家人自己的手机号,不改就发到您的手机"
    return render(request, f"citizen/step_{step}.html", _step_context(
        application, step, values=values, errors=errors, towns=TOWNS, branches=branches,
        postage=MAIL_POSTAGE_YUAN, phone_hint=phone_hint,
    ), status=400 if errors else 200)


def _uploads(request, application):
    uploads = {u.kind: u for u in application.uploads.all()}
    kinds = [(k, UploadKind(k).label, uploads.get(k), UPLOAD_TIPS[k]) for k in journey.required_uploads(application)]
    return render(request, "citizen/step_uploads.html", _step_context(application, "uploads", kinds=kinds))


UPLOAD_TIPS = {
    UploadKind.ID_FRONT: "拍身份证有照片的一面,四个角都要拍进去,不要反光",
    UploadKind.ID_BACK: "拍身份证有国徽的一面,和人像面分开上传,不要拼在一张图里",
    UploadKind.PORTRAIT: "近6个月白底免冠照,穿深色上衣,头发不要挡住眉毛和耳朵,不要美颜;照片大也没关系,系统会自动处理",
    UploadKind.RELATIONSHIP_PROOF: "户口本上能看出你们关系的那一页(为孩子代办也可以用出生医学证明)",
}


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
    if size > journey.MAX_UPLOAD_BYTES + 64 * 1024:
        context["problems"] = [{"code": "file_too_large", "message": "照片超过20MB,无法上传", "tip": "请直接用手机相机拍一张,不用传原图以外的大文件"}]
        status = 413
    elif "file" not in request.FILES:
        context["problems"] = [{"code": "no_file", "message": "请先选择一张照片", "tip": ""}]
        status = 400
    else:
        try:
            result = journey.attach_upload(application, kind, request.FILES["file"].read())
        except journey.JourneyError as exc:
            context["problems"] = [{"code": exc.code, "message": exc.message, "tip": ""}]
            status = 409
        else:
            context["upload"], context["problems"] = result.upload, result.problems
            status = 200 if result.upload else 400
    if context.get("upload") is None:
        context["upload"] = application.uploads.filter(kind=kind).first()
    if request.htmx:
        return render(request, "partials/upload_card.html", context, status=status)
    if status >= 400 or context["problems"]:
        messages.error(request, f"{context['label']}:" + ";".join(p["message"] for p in context["problems"]))
    else:
        messages.success(request, f"{context['label']}已通过检查")
    return redirect(f"/apply/{application.public_id}/uploads/")


@citizen_required
def upload_image(request, public_id, kind):
    """Uploaded images are private: served only to the account that owns the application."""
    application = _own(request, public_id)
    item = get_object_or_404(Upload, application=application, kind=kind)
    response = FileResponse(item.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _confirm(request, application):
    missing = journey.missing_for_submission(application)
    if request.method == "POST":
        try:
            journey.submit(application, actor=f"citizen:{request.citizen.pk}")
        except journey.JourneyError as exc:
            missing = exc.errors
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(f"/apply/{application.public_id}/")
        else:
            messages.success(request, f"您的申领已受理,编号{application.acceptance_number}")
            return redirect(f"/apply/{application.public_id}/")
    uploads = {u.kind: u for u in application.uploads.all()}
    return render(request, "citizen/step_confirm.html", _step_context(
        application, "confirm", missing=missing,
        kinds=[(k, UploadKind(k).label, _upload_status(uploads.get(k))) for k in journey.required_uploads(application)],
        postage=MAIL_POSTAGE_YUAN,
    ), status=400 if request.method == "POST" and missing else 200)


def _upload_status(upload) -> str:
    if upload is None:
        return "未上传"
    return "已通过检查" if upload.ok else "未通过检查,请重新上传"


@citizen_required
def detail(request, public_id):
    application = _own(request, public_id)
    change = application.pickup_change_requests.first()
    return render(request, "citizen/detail.html", {
        "application": application, "timeline": journey.timeline(application), "change": change,
        "can_change_pickup": application.state in journey.CHANGEABLE_PICKUP_STATES and change is None,
        "can_withdraw": "cancel" in journey.lifecycle.TABLE.allowed_actions(application.state),
        "can_edit": application.state in (State.DRAFT, State.RETURNED),
        "resume_url": _resume_url(application),
        "draft_expires": retention.draft_expires_at(application) if application.state == State.DRAFT else None,
        "retention_days": settings.DRAFT_RETENTION_DAYS,
        "returned_reason": application.events.filter(to_state=State.RETURNED).values_list("reason", flat=True).last()
        if application.state == State.RETURNED else "",
    })


@citizen_required
@require_POST
def withdraw(request, public_id):
    application = _own(request, public_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请勾选“确认撤销”后再提交")
        return redirect(f"/apply/{application.public_id}/")
    try:
        journey.withdraw(application, actor=f"citizen:{request.citizen.pk}")
        messages.success(request, "申领已撤销")
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message + "(卡片已进入制作,如需处理请拨打12333)")
    return redirect(f"/apply/{application.public_id}/")


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
            journey.request_pickup_change(application, request.POST, actor=f"citizen:{request.citizen.pk}")
            messages.success(request, "修改申请已提交,1个工作日内审核,结果会短信通知您")
            return redirect(f"/apply/{application.public_id}/")
        except journey.JourneyError as exc:
            errors, notice = exc.errors, exc.message
    return render(request, "citizen/pickup_change.html", {
        "application": application, "values": values, "errors": errors, "notice": notice, "towns": TOWNS,
        "branches": Branch.objects.filter(active=True).order_by("town", "code"), "postage": MAIL_POSTAGE_YUAN,
        "used": application.pickup_change_requests.exists(),
        "allowed_now": application.state in journey.CHANGEABLE_PICKUP_STATES,
    }, status=400 if errors or notice else 200)


def public_progress(request):
    """Anyone may look up progress by name + ID number: masked, no address, no phone; rate-limited."""
    values = {"name": request.POST.get("name", ""), "id_number": request.POST.get("id_number", "")}
    errors, result, searched = {}, None, False
    if request.method == "POST":
        if not ratelimit.hit(f"progress-ip:{client_ip(request)}", limit=20, window=3600):
            errors["id_number"] = "查询太频繁,请1小时后再试"
        else:
            try:
                result = journey.public_lookup(values["name"], values["id_number"])
                searched = True
            except journey.JourneyError as exc:
                errors = exc.errors
    timeline = journey.timeline(result, public=True) if result else []
    return render(request, "citizen/progress.html", {
        "values": values, "errors": errors, "result": result, "timeline": timeline, "searched": searched,
    }, status=429 if "查询太频繁" in errors.get("id_number", "") else (400 if errors else 200))
