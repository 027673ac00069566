"""Issue #10, 6: staff sign-in is throttled — 50 wrong passwords, then the right one, does not sign in.

The lock is django-axes' (database-backed, so every server process sees it), per username and client
address, where the address is the one every other limit uses (common/clientaddr.py): behind our load
balancer each clerk has his own, and a forged X-Forwarded-For gets an attacker nowhere.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import StaffUserFactory
from tests.staff.conftest import KEY, PASSWORD, sign_in

pytestmark = pytest.mark.django_db

LB = "10.0.0.5"


def _login(client, username, password, **extra):
    return client.post("/staff/login/", {"username": username, "password": password}, **extra)


def _passed_password_step(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/staff/login/verify/"


def test_fifty_wrong_passwords_then_the_right_one_does_not_sign_in(client, settings):
    StaffUserFactory(username="zhao", role="reviewer", totp_key=KEY)
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [_login(client, "zhao", f"wrong-{i}").status_code for i in range(50)]
    assert statuses[:limit - 1] == [400] * (limit - 1) and set(statuses[limit - 1:]) == {429}

    response = _login(client, "zhao", PASSWORD)
    assert not _passed_password_step(response)
    assert response.status_code == 429
    page = response.content.decode()
    # The clerk reads why, for how long, and whom to ask — in Chinese, with full-width punctuation.
    assert "账号已暂时锁定" in page and f"登录连续失败{limit}次" in page and "联系系统管理员" in page
    assert "锁定期间即使输入正确的密码也无法登录" in page
    assert client.get("/staff/").status_code == 302  # and no staff page opens

    # The lock is per username at this address: another clerk at the same desk signs in …
    colleague = StaffUserFactory(username="qian", role="reviewer", totp_key=KEY)
    sign_in(Client(), colleague)
    # … and the same clerk from another address is not locked out.
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert _passed_password_step(_login(elsewhere, "zhao", PASSWORD))


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, settings):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 0
    StaffUserFactory(username="sun", role="reviewer", totp_key=KEY)
    direct = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [_login(direct, "sun", f"wrong-{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
                for i in range(10)]
    assert statuses[settings.AXES_FAILURE_LIMIT:] == [429] * (10 - settings.AXES_FAILURE_LIMIT)
    response = _login(direct, "sun", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429 and "账号已暂时锁定" in response.content.decode()


def test_behind_the_load_balancer_one_clerks_lock_is_not_everyones(settings):
    """Before: the lock was on REMOTE_ADDR, the balancer's address, so one clerk's typos (or an attacker's
    guesses) locked the username for every desk behind it."""
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = ["10.0.0.0/24"], 0
    StaffUserFactory(username="li", role="reviewer", totp_key=KEY)
    through_lb = Client(REMOTE_ADDR=LB)
    statuses = [_login(through_lb, "li", f"wrong-{i}", HTTP_X_FORWARDED_FOR="198.51.100.20").status_code
                for i in range(6)]
    assert statuses[-1] == 429
    assert _login(through_lb, "li", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 429
    assert _passed_password_step(_login(Client(REMOTE_ADDR=LB), "li", PASSWORD,
                                        HTTP_X_FORWARDED_FOR="198.51.100.21"))
