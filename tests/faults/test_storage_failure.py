"""Storage failing during an upload: nothing lost, nothing half-written, a clear message to the person.

The new photo is written first and the earlier one deleted only once the database has committed the swap
(``uploads._replace``): a store that refuses the write leaves the earlier photo and the draft as they were and
answers 503 with a Chinese message; a database part that fails takes the new file with it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.test import Client
from PIL import Image

from sscard.api.client import ChannelClient, DjangoTestSession
from sscard.api.models import ChannelPartner
from sscard.applications.models import Application, Upload
from sscard.applications.services import uploads
from tests.factories import PersonFactory
from tests.helpers import pass_photo_checks, sign_in

pytestmark = pytest.mark.django_db

MESSAGE = "照片暂时无法保存，请稍后再试；您已填写的内容不会丢失。"


def _jpeg(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG", quality=90)
    return out.getvalue()


def _disk_full(self, name, content, max_length=None):
    raise OSError(28, "No space left on device")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def draft(media, monkeypatch):
    pass_photo_checks(monkeypatch)
    cache.clear()
    person = PersonFactory()
    client = Client(raise_request_exception=False)
    sign_in(client)
    client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    client.post("/apply/")
    client.post(f"/apply/{Application.objects.get().public_id}/contact/", {"phone": "13812345678"})
    return client, Application.objects.get()


def _upload(client, application, data, *, htmx=True):
    return client.post(f"/apply/{application.public_id}/upload/portrait/",
                       {"file": io.BytesIO(data)}, headers={"HX-Request": "true"} if htmx else {})


def _files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def test_storage_failing_keeps_the_earlier_photo_and_says_so(draft, media, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    client, application = draft
    assert _upload(client, application, _jpeg((200, 200, 200))).status_code == 200
    before = Upload.objects.get(application=application, kind="portrait")
    stored, files = before.file.read(), _files(media)
    saved = Application.objects.values("phone", "updated_at").get(pk=application.pk)

    with monkeypatch.context() as patch:
        patch.setattr(FileSystemStorage, "save", _disk_full)
        response = _upload(client, application, _jpeg((90, 90, 90)))
        plain = _upload(client, application, _jpeg((90, 90, 90)), htmx=False)
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert MESSAGE in text and 'data-code="storage_unavailable"' in text
    assert 'data-testid="file-portrait"' in text  # the card still offers to try again
    assert plain.status_code == 302
    assert MESSAGE in client.get(plain["Location"]).content.decode()

    after = Upload.objects.get(application=application, kind="portrait")
    assert after.pk == before.pk and after.file.name == before.file.name
    assert after.file.read() == stored  # the earlier photo is still there, whole
    assert _files(media) == files  # and nothing new was left behind
    assert Application.objects.values("phone", "updated_at").get(pk=application.pk) == saved  # the draft as it was

    # Once the store works again, the same upload replaces the photo and the earlier file goes.
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, application, _jpeg((90, 90, 90))).status_code == 200
    replaced = Upload.objects.get(application=application, kind="portrait")
    assert replaced.file.name != before.file.name
    assert _files(media) == {replaced.file.name}
    replaced.file.delete(save=False)


def test_a_database_failure_after_the_file_is_written_leaves_no_orphan(draft, media, monkeypatch):
    client, application = draft
    assert _upload(client, application, _jpeg((200, 200, 200))).status_code == 200
    before = Upload.objects.get(application=application, kind="portrait")
    files = _files(media)

    def database_gone(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch, pytest.raises(OperationalError):
        patch.setattr(Upload, "save", database_gone)
        uploads.attach_upload(application, "portrait", _jpeg((90, 90, 90)))
    assert _files(media) == files  # the new file went with the failed transaction
    assert Upload.objects.get(application=application, kind="portrait").file.read() == before.file.read()
    before.file.delete(save=False)


def test_the_api_answers_503_in_its_error_shape(draft, media, monkeypatch):
    _, application = draft
    partner = ChannelPartner.objects.create(app_id="yss-test", name="粤省事(测试)", channel="yueshengshi",
                                            secret="test-secret-0123456789abcdefghijklmnop")
    user = ChannelClient("http://testserver/api/v1", partner.app_id, partner.secret,
                         DjangoTestSession(Client())).for_user("13812345678")
    assert user.upload(str(application.public_id), "portrait", _jpeg((200, 200, 200))).status_code == 200
    before = Upload.objects.get(application=application, kind="portrait")

    with monkeypatch.context() as patch:
        patch.setattr(FileSystemStorage, "save", _disk_full)
        response = user.upload(str(application.public_id), "portrait", _jpeg((90, 90, 90)))
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    body = response.json()
    assert body["code"] == "storage_unavailable" and body["message"] == MESSAGE and body["errors"]["file"]
    assert Upload.objects.get(application=application, kind="portrait").file.name == before.file.name
    before.file.delete(save=False)
