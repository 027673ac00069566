"""Who may open a staff page: every staff view is wrapped in :func:`require_perm` (or :func:`require_staff`).

    from sscard.staff.access import require_perm

    @require_perm("staff.review_application")
    def workbench(request): ...

Not signed in (password and second factor) → the staff sign-in page, then back. Signed in without the
permission → 403 in the staff layout, naming what is missing (and an audit row).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from sscard import audit


def is_signed_in(request) -> bool:
    """Signed in with password and second factor, and still active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    return bool(is_verified and is_verified())


def permission_names(codes: list[str]) -> list[str]:
    """The Chinese names of ``app_label.codename`` permissions (one query)."""
    wanted = [tuple(code.split(".", 1)) for code in codes]
    rows = {
        (app_label, codename): name
        for app_label, codename, name in Permission.objects.filter(
            codename__in=[c for _, c in wanted]
        ).values_list("content_type__app_label", "codename", "name")
    }
    return [rows.get(key, ".".join(key)) for key in wanted]


def forbidden(request, missing: list[str]):
    audit.record(request, "staff.permission_denied", obj_kind="page", obj_id=request.path[:64],
                 details={"missing": missing})
    context = {"missing": permission_names(missing)}
    return render(request, "staff/forbidden.html", context, status=403)


def _sign_in_first(request):
    return redirect_to_login(request.get_full_path(), reverse("staff:login"))


def require_staff(view):
    """Any signed-in staff member (password + second factor)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_signed_in(request):
            return _sign_in_first(request)
        return view(request, *args, **kwargs)

    return wrapper


def require_perm(*codes: str):
    """Signed in and holding every one of ``codes`` (``"app_label.codename"``)."""
    if not codes:
        raise TypeError("require_perm needs at least one permission code; use require_staff for none")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_signed_in(request):
                return _sign_in_first(request)
            missing = [code for code in codes if not request.user.has_perm(code)]
            if missing:
                return forbidden(request, missing)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RequirePermMixin:
    """The same check for class-based views: set ``required_perms = ("staff.run_batches",)``."""

    required_perms: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.required_perms:
            raise TypeError(f"{type(self).__name__}.required_perms is empty")
        checked = require_perm(*self.required_perms)(super().dispatch)
        return checked(request, *args, **kwargs)
