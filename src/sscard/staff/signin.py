"""The two steps of a staff sign-in, between which nobody is signed in.

Step 1 (password) only remembers, in the session, who passed it and when. Step 2 (the TOTP code, or
enrolment of a first authenticator) signs the person in with Django and django-otp together, so there is
never a session that passed the password but not the second factor. Wrong codes count towards the same
django-axes lock as wrong passwords.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.accounts.models import User

PENDING_KEY = "staff_pending_signin"
PENDING_SECONDS = 300
LAST_ACTIVITY_KEY = "staff_last_activity"
DEVICE_NAME = "动态口令"


@dataclass(frozen=True)
class Pending:
    user: User
    next: str


def safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def may_work_here(user: User) -> bool:
    """A role (or superuser) is what makes an account a staff account."""
    return user.is_active and (bool(user.role) or user.is_superuser)


def remember_password_passed(request, user: User, next_url: str) -> None:
    request.session[PENDING_KEY] = {"user_id": user.pk, "at": time.time(), "next": next_url}


def pending(request) -> Pending | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user_id"], is_active=True).first()
    return Pending(user, data.get("next", "")) if user else None


def forget_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up; the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it, in groups of four for reading aloud."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def check_code(device: TOTPDevice, token: str) -> bool:
    token = token.strip().replace(" ", "")
    return token.isdigit() and len(token) == device.digits and device.verify_token(token)


def count_failed_code(request, user: User) -> None:
    """A wrong code is a failed sign-in for django-axes, exactly like a wrong password."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def complete(request, user: User, device: TOTPDevice) -> None:
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    forget_pending(request)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[LAST_ACTIVITY_KEY] = time.time()
