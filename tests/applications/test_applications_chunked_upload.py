"""A photo sent without a Content-Length (chunked) is neither "missing" when it is too large nor when it fits."""

from __future__ import annotations

import io

import pytest

from sscard.api.client import encode_multipart
from sscard.applications.constants import MAX_UPLOAD_BYTES
from tests.helpers import citizen_with_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return citizen_with_draft()


def _chunked(client, application, body: bytes, content_type: str):
    # No Content-Length, as a chunked request reaches Django: the body is only in wsgi.input.
    return client.generic("POST", f"/apply/{application.public_id}/upload/portrait/", data=b"",
                          headers={"HX-Request": "true"}, CONTENT_TYPE=content_type,
                          CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": io.BytesIO(body)})


def test_a_chunked_50_mb_upload_is_told_it_is_too_large(draft):
    client, application = draft
    body, content_type = encode_multipart({"file": ("big.jpg", b"\xff" * (50 * 1024 * 1024), "image/jpeg")})
    response = _chunked(client, application, body, content_type)
    page = response.content.decode()
    assert response.status_code == 413
    assert "照片文件太大了" in page and f"{MAX_UPLOAD_BYTES // (1024 * 1024)}MB" in page
    assert "请先选择一张照片" not in page


def test_a_small_chunked_upload_is_read(draft):
    client, application = draft
    body, content_type = encode_multipart({"file": ("x.jpg", b"not a picture", "image/jpeg")})
    page = _chunked(client, application, body, content_type).content.decode()
    assert "请先选择一张照片" not in page  # the file arrived: it is checked (and refused as not a picture)
