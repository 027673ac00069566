"""Uploads: one decode per picture, the stored copy (upright, no EXIF, bounded size) and the size limit."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from PIL import Image

import sscard.photos.decode
from sscard.applications.constants import MAX_UPLOAD_BYTES, MULTIPART_ENVELOPE_BYTES, Relationship
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.services.uploads import STORED_MAX_SIDE, attach_upload
from sscard.photos import DEFAULT_CONFIG
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import delete_uploads, pass_photo_checks, sign_in
from tests.photo_fixtures import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    application = ApplicationFactory(relationship=Relationship.PARENT)
    yield application
    delete_uploads(application)


@pytest.fixture
def decodes(monkeypatch):
    """Counts the decodes of upload bytes: ``decode`` (pixels) and Pillow's ``Image.open`` (headers)."""
    calls = {"decode": 0, "open": 0}
    real_decode, real_open = sscard.photos.decode.decode, Image.open

    def counting_decode(*args, **kwargs):
        calls["decode"] += 1
        return real_decode(*args, **kwargs)

    def counting_open(*args, **kwargs):
        calls["open"] += 1
        return real_open(*args, **kwargs)

    monkeypatch.setattr(sscard.photos.decode, "decode", counting_decode)
    monkeypatch.setattr(Image, "open", counting_open)
    return calls


@pytest.mark.parametrize("kind", [UploadKind.PORTRAIT, UploadKind.ID_FRONT, UploadKind.RELATIONSHIP_PROOF])
def test_one_upload_is_decoded_once(draft, decodes, kind):
    # The real checks run here: the stored copy and the check's analysis copy come from one decode.
    result = attach_upload(draft, kind, jpeg(1600, 2000))
    assert result.upload is not None
    assert decodes == {"decode": 1, "open": 1}
    if kind == UploadKind.PORTRAIT:
        # The check did look at the picture (no face on a grey card), from that one decode.
        assert "no_face" in {p["code"] for p in result.problems}
        assert result.upload.metrics["width"] == 1600 and result.upload.metrics["analysis_scale"] < 1


def _stored(upload: Upload) -> Image.Image:
    with upload.file.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    return image


def test_stored_copy_is_upright_and_bounded(draft, monkeypatch):
    pass_photo_checks(monkeypatch)
    # A phone held sideways: pixels 4000 wide and 3000 high, EXIF orientation 6 (turn 90° clockwise).
    image = Image.new("RGB", (4000, 3000), (120, 120, 120))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    result = attach_upload(draft, UploadKind.PORTRAIT, out.getvalue())
    stored = _stored(result.upload)
    assert stored.size == (STORED_MAX_SIDE * 3 // 4, STORED_MAX_SIDE)  # upright, long side bounded
    assert not stored.getexif()


def test_not_a_picture_is_refused_without_storing(draft, monkeypatch):
    pass_photo_checks(monkeypatch)
    result = attach_upload(draft, UploadKind.ID_FRONT, "这是一段文字,不是照片".encode())
    assert result.upload is None and not result.ok
    assert [p["code"] for p in result.problems] == ["not_an_image"]
    assert "不是照片" in result.problems[0]["message"]
    assert not Upload.objects.exists()


def test_too_large_a_file_is_refused_before_decoding(draft, decodes):
    result = attach_upload(draft, UploadKind.PORTRAIT, b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES)
    assert result.upload is None and [p["code"] for p in result.problems] == ["file_too_large"]
    assert decodes["decode"] == 0
    # The photo checks' own limit never refuses what the journey accepts (nor words it differently).
    assert DEFAULT_CONFIG.max_bytes >= MAX_UPLOAD_BYTES


def test_web_refuses_a_body_over_the_limit_before_reading_it(client):
    cache.clear()
    person = PersonFactory(name="黎明")
    sign_in(client)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    client.post("/apply/")
    application = Application.objects.get()
    response = client.post(
        f"/apply/{application.public_id}/upload/portrait/", {"file": io.BytesIO(jpeg())},
        HTTP_HX_REQUEST="true", CONTENT_LENGTH=str(MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES + 1),
    )
    assert response.status_code == 413
    assert "照片文件太大了" in response.content.decode()
    assert not Upload.objects.exists()
