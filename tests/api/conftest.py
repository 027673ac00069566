"""Fixtures for the channel API tests: a partner, and a real signing client over Django's test Client."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client

from sscard.api.client import ChannelClient, DjangoTestSession
from sscard.api.models import ChannelPartner
from sscard.delivery.models import Branch

SECRET = "test-secret-0123456789abcdefghijklmnop"
USER_PHONE = "13812345678"
OTHER_PHONE = "13912345678"
BASE_URL = "http://testserver/api/v1"


class RecordingSession(DjangoTestSession):
    """Keeps the last request as sent, so a test can replay it or tamper with it."""

    last: tuple | None = None

    def request(self, method, url, data=b"", headers=None):
        self.last = (method, url, data, dict(headers or {}))
        return super().request(method, url, data, headers)

    def resend(self, *, data=None, headers=None, url=None):
        method, last_url, last_data, last_headers = self.last
        return super().request(method, url or last_url, last_data if data is None else data,
                               {**last_headers, **(headers or {})})


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    # Nonces and rate-limit counters live in the cache; uploads in MEDIA_ROOT: both per test.
    cache.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    return ChannelPartner.objects.create(app_id="yss-test", name="粤省事(测试)", channel="yueshengshi", secret=SECRET)


@pytest.fixture
def session():
    return RecordingSession(Client())


@pytest.fixture
def api(partner, session):
    return ChannelClient(BASE_URL, partner.app_id, SECRET, session)


@pytest.fixture
def user(api):
    return api.for_user(USER_PHONE)


@pytest.fixture
def other_user(api):
    return api.for_user(OTHER_PHONE)


@pytest.fixture
def branch(db):
    return Branch.objects.create(code="HR01", name="石岐人社服务窗口", kind="hr", town="shiqi",
                                 address="石岐区莲峰路1号", opening_hours="工作日9:00-17:00")


def _jpeg(width=640, height=480, color=(200, 200, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=90)
    return out.getvalue()


def _assert_error_shape(response, status=None, code=None):
    assert response.status_code < 500, response.content[:500]
    if status is not None:
        assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) >= {"code", "message", "errors"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def jpeg():
    """``jpeg(width, height, color)``: a plain JPEG made in code (it fails the photo checks)."""
    return _jpeg


@pytest.fixture
def error_of():
    """``error_of(response, status, code)``: asserts the API's error shape and returns the body."""
    return _assert_error_shape
