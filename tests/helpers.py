"""Small helpers shared by the web tests: read the SMS a phone would get, sign a citizen in, let every
photo pass its check, and leave media storage as it was found."""

from __future__ import annotations

import re

from sscard.applications.models import Application
from sscard.notifications.models import ConsoleMessage, Notification
from sscard.photos.report import Report


def last_sms(template_code: str | None = None) -> Notification:
    rows = Notification.objects.order_by("-id")
    if template_code:
        rows = rows.filter(template_code=template_code)
    return rows.first()


def last_login_code(template: str = "login_code") -> str:
    """The code as the phone received it: from the console provider's inbox once sent, else from the
    queued row's (encrypted) body — the row forgets the code as soon as it is sent."""
    queued = last_sms(template)
    found = re.search(r"验证码(?:为|是)?\D{0,3}(\d{6})", queued.body or "")
    if found:
        return found.group(1)
    delivered = ConsoleMessage.objects.order_by("-id").first()
    return re.search(r"验证码(?:为|是)?\D{0,3}(\d{6})", delivered.body).group(1)


def sign_in(client, phone: str = "13812345678") -> None:
    response = client.post("/login/code/", {"phone": phone})
    assert response.status_code == 200, response.content.decode()
    response = client.post("/login/", {"phone": phone, "code": last_login_code()})
    assert response.status_code == 302, response.content.decode()


def citizen_with_draft():
    """A signed-in citizen (a fresh test client), bound to a new registry person, with a draft started:
    (client, application). Limits are reset first, so each test starts with a clean allowance."""
    from django.core.cache import cache
    from django.test import Client

    from tests.factories import PersonFactory  # factories import models; helpers is imported by conftest

    cache.clear()
    person = PersonFactory()
    client = Client()
    sign_in(client)
    client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    client.post("/apply/")
    return client, Application.objects.get()


def pass_photo_checks(monkeypatch) -> None:
    """The photo checks are tested on their own (tests/photos); here every picture that decodes passes,
    so a journey can be walked with any JPEG."""
    monkeypatch.setattr("sscard.photos.check_portrait", lambda data, **_: Report("portrait"))
    monkeypatch.setattr("sscard.photos.check_id_card", lambda data, side, **_: Report(f"id_{side}"))


def delete_uploads(application: Application) -> None:
    """Remove the application's stored images (rows and files), so a test leaves no files in media."""
    for upload in application.uploads.all():
        upload.file.delete(save=False)
        upload.delete()
