"""The SMS notices of the accounts domain: the sign-in code."""

from __future__ import annotations

from django.conf import settings

from sscard.notifications.outbox import queue_sms


def send_login_code(phone: str, code: str):
    """The sign-in code: urgent (quiet hours do not apply) and never sent after ``SMS_LOGIN_CODE_TTL``.

    The code is kept only encrypted and only until sent; admin pages and the dashboard show ``******``. It refers
    to nothing (a code is about a phone, not a record), so it carries no reference.
    """
    ttl = settings.SMS_LOGIN_CODE_TTL
    return queue_sms(phone, "login_code", {"code": code, "minutes": max(ttl // 60, 1)}, urgent=True, expires_in=ttl)
