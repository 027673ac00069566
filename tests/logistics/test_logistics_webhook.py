"""POST /logistics/courier/webhook: signed by the courier, fresh, used once; bad input is a 4xx with a code."""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.common import sharedstore
from sscard.delivery.constants import PickupMethod
from sscard.logistics import signing
from sscard.logistics.constants import Source
from sscard.logistics.services import apply_event
from sscard.notifications.models import Notification
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

SECRET = "courier-test-secret"
AT = "2026-03-02T10:00:00+08:00"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.COURIER_WEBHOOK_SECRET = SECRET
    cache.clear()


@pytest.fixture
def mailed_card(produced_card):
    card = produced_card(PickupMethod.MAIL)
    apply_event(card, "mailed", Application.objects.get(pk=card.application_id).state_changed_at, "SF7000000001",
                source=Source.FILE, actor="test")
    return card


def post(client, payload, *, secret=SECRET, timestamp=None, body=None, headers=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = timestamp or str(int(time.time()))
    signed = headers if headers is not None else signing.headers(secret, timestamp, body)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items()}
    return client.post(reverse("logistics:courier_webhook"), body, content_type="application/json", **extra)


def test_delivered_by_waybill_sets_the_clock_and_a_repeat_is_unchanged(client, mailed_card):
    response = post(client, {"waybill": "SF7000000001", "event": "delivered", "at": AT})
    assert response.status_code == 200 and response.json() == {"result": "applied"}
    mailed_card.refresh_from_db()
    assert Application.objects.get(pk=mailed_card.application_id).state == State.DELIVERED
    assert mailed_card.handed_over_at.isoformat() == "2026-03-02T02:00:00+00:00"

    # The courier sends it again (a new request, new signature): nothing more happens.
    response = post(client, {"card_number": mailed_card.card_number, "event": "delivered", "at": AT},
                    timestamp=str(int(time.time()) - 1))
    assert response.json() == {"result": "unchanged"}
    assert Notification.objects.filter(template_code="card_delivered").count() == 1


def test_delivery_failed_moves_the_card_to_a_branch(client, mailed_card):
    BranchFactory(town="shiqi", name="石岐服务窗口")
    response = post(client, {"card_number": mailed_card.card_number, "event": "delivery_failed", "at": AT})
    assert response.status_code == 200
    assert Application.objects.get(pk=mailed_card.application_id).state == State.AT_BRANCH
    assert Notification.objects.filter(template_code="card_delivery_failed").count() == 1


def test_wrong_signature_and_unsigned_requests_are_refused(client, mailed_card):
    payload = {"waybill": "SF7000000001", "event": "delivered", "at": AT}
    response = post(client, payload, secret="not-the-secret")
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    assert post(client, payload, headers={}).status_code == 401
    assert Application.objects.get(pk=mailed_card.application_id).state == State.MAILED


def test_a_replayed_or_stale_request_is_refused(client, mailed_card, settings):
    settings.SHARED_STORE_REDIS_URL = ""  # the database store, so clearing the cache below cannot touch it
    sharedstore.reset_redis_state()
    payload = {"waybill": "SF7000000001", "event": "delivered", "at": AT}
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    assert post(client, payload, body=body, timestamp=timestamp).status_code == 200
    cache.clear()  # another web process has a cache of its own: the replay must still be known there
    replay = post(client, payload, body=body, timestamp=timestamp)
    assert replay.status_code == 409 and replay.json()["code"] == "replayed"

    stale = post(client, payload, timestamp=str(int(time.time()) - 3600))
    assert stale.status_code == 401 and stale.json()["code"] == "stale_timestamp"
    assert "时间戳" in stale.json()["message"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "bad_json"),
        (b"[1, 2]", 400, "bad_json"),
        (b'{"event": "delivered", "at": "2026-03-02T10:00:00+08:00"}', 422, "invalid_fields"),
        (b'{"waybill": "SF7000000001", "event": "bank_received", "at": "2026-03-02T10:00:00"}', 422, "invalid_fields"),
        (b'{"waybill": "SF7000000001", "event": "delivered", "at": "soon"}', 422, "invalid_fields"),
        (b'{"waybill": "SF7000000001", "event": "delivered", "at": 5}', 422, "invalid_fields"),
        (b'{"waybill": "SF9999999999", "event": "delivered", "at": "2026-03-02T10:00:00"}', 404, "unknown_card"),
    ],
)
def test_bad_bodies_get_a_4xx_with_a_code_and_a_chinese_message(client, mailed_card, body, status, code):
    response = post(client, None, body=body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert Application.objects.get(pk=mailed_card.application_id).state == State.MAILED


def test_an_event_the_state_does_not_allow_is_a_409(client, produced_card):
    card = produced_card(PickupMethod.MAIL)  # produced, never mailed
    response = post(client, {"card_number": card.card_number, "event": "delivered", "at": AT})
    assert response.status_code == 409
    assert "尚未寄出" in response.json()["message"]


def test_without_a_secret_the_webhook_is_off(client, settings, mailed_card):
    settings.COURIER_WEBHOOK_SECRET = ""
    response = post(client, {"waybill": "SF7000000001", "event": "delivered", "at": AT}, secret="")
    assert response.status_code == 403 and response.json()["code"] == "webhook_disabled"


def test_only_post(client):
    assert client.get(reverse("logistics:courier_webhook")).status_code == 405
