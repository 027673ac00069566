"""Small helpers shared by the web tests: read the SMS a phone would get, sign a citizen in."""

from __future__ import annotations

import re

from sscard.notifications.models import Notification


def last_sms(template_code: str | None = None) -> Notification:
    rows = Notification.objects.order_by("-id")
    if template_code:
        rows = rows.filter(template_code=template_code)
    return rows.first()


def last_login_code() -> str:
    # The code is only in the (encrypted) body: the context shows it masked.
    return re.search(r"\d{6}", last_sms("login_code").body).group(0)


def sign_in(client, phone: str = "13812345678") -> None:
    response = client.post("/login/code/", {"phone": phone})
    assert response.status_code == 200, response.content.decode()
    response = client.post("/login/", {"phone": phone, "code": last_login_code()})
    assert response.status_code == 302, response.content.decode()
