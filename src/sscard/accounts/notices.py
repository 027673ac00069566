"""The SMS notices of the accounts domain: one-time codes (sign-in, phone change, service-PIN reset)."""

from __future__ import annotations

from django.conf import settings

from sscard.notifications.outbox import queue_sms

# Which text a code is sent with: a reset code must not read "登录验证码" (a person would wonder who signs in).
CODE_TEMPLATES = {"pin_reset": "pin_reset_code"}


def send_login_code(phone: str, code: str, purpose: str = "login"):
    """The sign-in code: urgent (quiet hours do not apply) and never sent after ``SMS_LOGIN_CODE_TTL``.

    The code is kept only encrypted and only until sent; admin pages and the dashboard show ``******``. It refers
    to nothing (a code is about a phone, not a record), so it carries no reference.
    """
    ttl = settings.SMS_LOGIN_CODE_TTL
    template = CODE_TEMPLATES.get(purpose, "login_code")
    return queue_sms(phone, template, {"code": code, "minutes": max(ttl // 60, 1)}, urgent=True, expires_in=ttl)
