"""Staff sign-in (password, then TOTP), sign-out, the home page and the audit search."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import auth, messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sscard import audit
from sscard.accounts.models import User
from sscard.audit.actions import choices as action_choices
from sscard.audit.queries import AuditFilter, search
from sscard.common.text import CONTROL_CHARS_MESSAGE, has_control_chars, storable
from sscard.staff import signin
from sscard.staff.access import is_signed_in, require_perm, require_staff
from sscard.staff.nav import links_for

AUDIT_PAGE_SIZE = 50


def locked_out(request, original_response=None, credentials=None):
    """The lock page (also django-axes' AXES_LOCKOUT_CALLABLE): when to try again, whom to ask."""
    cool_off = settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime(timezone.now() + cool_off)
    context = {"retry_at": retry_at, "minutes": int(cool_off.total_seconds() // 60),
               "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "staff/locked.html", context, status=429)


@sensitive_post_parameters("password")
@never_cache
def login(request):
    next_url = signin.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_signed_in(request):
        return redirect(next_url or "staff:home")
    username = request.POST.get("username", "").strip()
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if not username or not password:
            error = "请输入用户名和密码。"
        elif has_control_chars(username) or has_control_chars(password):
            # Before any look-up: PostgreSQL refuses a NUL in a query (common.text).
            error, username = CONTROL_CHARS_MESSAGE, storable(username)
        else:
            user = auth.authenticate(request, username=username, password=password)
            if getattr(request, "axes_locked_out", False):
                audit.record(request, "staff.signin_locked", obj_kind="user", obj_id=username,
                             username=username, details={"step": "password"})
                return locked_out(request)
            if user is not None and signin.may_work_here(user):
                signin.remember_password_passed(request, user, next_url)
                return redirect("staff:second_factor")
            audit.record(request, "staff.signin_failed", obj_kind="user", obj_id=username, username=username,
                         details={"step": "password", "reason": "no_role" if user else "bad_credentials"})
            error = "此账号未分配岗位，请联系系统管理员。" if user else _failure_message(request)
    context = {"username": username, "error": error, "next": next_url}
    return render(request, "staff/login.html", context, status=400 if error else 200)


def _failure_message(request) -> str:
    failures = getattr(request, "axes_failures_since_start", None) or 0
    left = settings.AXES_FAILURE_LIMIT - failures
    message = "用户名或密码不正确。"
    if 0 < left <= 3:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        message += f"再错{left}次，该账号将在本机锁定{minutes}分钟。"
    return message


@sensitive_post_parameters("token")
@never_cache
def second_factor(request):
    step = signin.pending(request)
    if step is None:
        signin.forget_pending(request)
        messages.info(request, "请先输入用户名和密码。")
        return redirect("staff:login")
    user = step.user
    if signin.is_locked(request, user.get_username()):
        signin.forget_pending(request)
        return locked_out(request)
    device = signin.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = signin.enrolment_device(user)
    error = ""
    if request.method == "POST":
        if signin.check_code(device, request.POST.get("token", "")):
            if enrolling:
                audit.record(user, "staff.otp_enrolled", obj_kind="user", obj_id=user.pk)
            signin.complete(request, user, device)
            audit.record(request, "staff.signin", obj_kind="user", obj_id=user.pk)
            return redirect(step.next or "staff:home")
        signin.count_failed_code(request, user)
        if getattr(request, "axes_locked_out", False):
            signin.forget_pending(request)
            audit.record(request, "staff.signin_locked", obj_kind="user", obj_id=user.username,
                         username=user.username, details={"step": "second_factor"})
            return locked_out(request)
        audit.record(request, "staff.signin_failed", obj_kind="user", obj_id=user.username,
                     username=user.username, details={"step": "second_factor"})
        error = "动态口令不正确或已过期，请输入验证器当前显示的6位数字。"
    context = {"staff_user": user, "enrolling": enrolling, "error": error}
    if enrolling:
        context |= {"secret": signin.base32_secret(device), "otpauth_uri": device.config_url}
    return render(request, "staff/second_factor.html", context, status=400 if error else 200)


@require_POST
def logout(request):
    if request.user.is_authenticated:
        audit.record(request, "staff.signout", obj_kind="user", obj_id=request.user.pk)
    auth.logout(request)
    messages.info(request, "已退出登录。")
    return redirect("staff:login")


@require_staff
@never_cache
def home(request):
    return render(request, "staff/home.html", {"links": links_for(request.user)})


def _date(raw: str, errors: list[str], label: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{label}格式不正确，请按“2025-01-31”填写。")
        return None


@require_perm("audit.view_auditentry")
@never_cache
def audit_search(request):
    errors: list[str] = []
    raw = {key: request.GET.get(key, "").strip() for key in ("user", "action", "from", "to", "acceptance")}
    staff_members = list(User.objects.order_by("username").values_list("pk", "username", "first_name"))
    user_id = None
    if raw["user"]:
        user_id = int(raw["user"]) if raw["user"].isdigit() else None
        if user_id not in {pk for pk, _, _ in staff_members}:
            errors.append("所选工作人员不存在。")
            user_id = None
    actions = action_choices()
    if raw["action"] and raw["action"] not in dict(actions):
        errors.append("所选操作不存在。")
    date_from = _date(raw["from"], errors, "开始日期")
    date_to = _date(raw["to"], errors, "结束日期")
    if date_from and date_to and date_from > date_to:
        errors.append("开始日期不能晚于结束日期。")
    if errors:
        page = None
    else:
        rows = search(AuditFilter(user_id=user_id, action=raw["action"], date_from=date_from, date_to=date_to,
                                  acceptance_number=raw["acceptance"]))
        page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"raw": raw, "errors": errors, "page": page, "staff_members": staff_members,
               "actions": actions, "query": query.urlencode(), "audit_url": reverse("staff:audit")}
    response = render(request, "staff/audit.html", context, status=400 if errors else 200)
    if page is not None:  # recorded after the page is drawn, so a search never lists itself
        audit.record(request, "audit.search", obj_kind="audit", obj_id="", acceptance_number=raw["acceptance"],
                     details={k: v for k, v in raw.items() if v and k != "acceptance"})
    return response
