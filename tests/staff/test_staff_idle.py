"""A staff session ends after STAFF_IDLE_MINUTES without a request; a citizen's never does."""

from __future__ import annotations

import time

import pytest

from sscard.audit.models import AuditEntry
from sscard.staff.signin import LAST_ACTIVITY_KEY
from tests.factories import StaffUserFactory
from tests.helpers import sign_in as citizen_sign_in
from tests.staff.conftest import KEY, sign_in

pytestmark = pytest.mark.django_db


def _idle_for(client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_an_idle_staff_session_is_signed_out_with_a_chinese_notice(client, settings):
    user = StaffUserFactory(role="supervisor", totp_key=KEY)
    sign_in(client, user)
    _idle_for(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() - 30)
    assert client.get("/staff/audit/").status_code == 200  # just inside the limit: still signed in

    _idle_for(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() + 1)
    response = client.get("/staff/audit/", follow=True)
    assert response.redirect_chain[0][0] == "/staff/login/?next=/staff/audit/"
    assert "您已超过15分钟未操作" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(user=user, action="staff.signout_idle").count() == 1


def test_each_request_restarts_the_idle_clock(client, settings):
    user = StaffUserFactory(role="supervisor", totp_key=KEY)
    sign_in(client, user)
    limit = settings.STAFF_IDLE_TIMEOUT.total_seconds()
    _idle_for(client, limit - 60)
    assert client.get("/staff/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5


def test_a_citizen_session_is_not_touched(client, settings):
    citizen_sign_in(client)
    _idle_for(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() * 10)
    response = client.get("/my/")
    assert response.status_code == 200
    assert client.session.get("citizen_id") is not None
