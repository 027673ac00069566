"""Signing staff in the way a person does: password, then the code their authenticator shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Test@Pass-2025"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key


def code_for(key: str, user=None) -> str:
    """The code an authenticator shows now; after a code was used this step, the next step's code
    (a code is accepted once, and one step of clock drift is allowed)."""
    totp = TOTP(bytes.fromhex(key))
    used = TOTPDevice.objects.filter(user=user, key=key).values_list("last_t", flat=True).first() if user else None
    if used is not None and used >= totp.t():
        totp.drift = used + 1 - totp.t()
    return f"{totp.token():06d}"


def sign_in(client, user, key: str = KEY, password: str = PASSWORD, **extra):
    response = client.post("/staff/login/", {"username": user.username, "password": password}, **extra)
    assert response.status_code == 302 and response["Location"] == "/staff/login/verify/", response
    response = client.post("/staff/login/verify/", {"token": code_for(key, user)}, **extra)
    assert response.status_code == 302, response.content.decode()
    return response


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
