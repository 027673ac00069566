import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from sscard.accounts import signin
from sscard.accounts.models import Citizen, LoginCode
from sscard.notifications.models import DailyQuota

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_limits():
    cache.clear()


def _sent_code():
    """The code as the queued SMS carries it (the test plays the phone)."""
    from tests.helpers import last_login_code

    return last_login_code()


def test_code_is_sent_hashed_and_signs_in():
    outcome = signin.request_code("138 1234 5678")
    assert outcome.ok and "138****5678" in outcome.message
    stored = LoginCode.objects.get()
    code = _sent_code()
    assert code not in stored.code_hash
    result = signin.verify_code("13812345678", code)
    assert result.ok and result.citizen.phone == "13812345678"
    assert Citizen.objects.count() == 1
    assert not signin.verify_code("13812345678", code).ok  # single use


def test_same_answer_for_known_and_unknown_phones():
    Citizen.objects.create(phone="13900000001")
    known = signin.request_code("13900000001")
    unknown = signin.request_code("13900000002")
    assert known.message.replace("139****0001", "X") == unknown.message.replace("139****0002", "X")


def test_one_code_per_minute_and_ten_per_day():
    assert signin.request_code("13812345678").ok
    again = signin.request_code("13812345678")
    assert not again.ok and "秒后再获取" in again.message
    LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    for _ in range(9):
        assert signin.request_code("13812345678").ok
        LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    refused = signin.request_code("13812345678")
    assert not refused.ok and "今天获取验证码已达10次" in refused.message


def test_five_tries_then_the_code_is_dead():
    signin.request_code("13812345678")
    code = _sent_code()
    wrong = "000000" if code != "000000" else "111111"
    messages = [signin.verify_code("13812345678", wrong).message for _ in range(5)]
    assert messages[0] == "验证码不正确，还可以再试4次"
    assert messages[-1] == "验证码输错次数太多，请重新获取"
    assert not signin.verify_code("13812345678", code).ok


def test_code_expires_after_five_minutes():
    signin.request_code("13812345678")
    code = _sent_code()
    LoginCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert signin.verify_code("13812345678", code).message == "验证码已过期或未获取，请重新获取"


def test_per_ip_limit():
    for i in range(30):
        signin.request_code(f"1380000{i:04d}", ip="10.0.0.9")
    outcome = signin.request_code("13899999999", ip="10.0.0.9")
    assert not outcome.ok and "太频繁" in outcome.message


@pytest.mark.parametrize(("phone", "words"), [("", "请填写手机号"), ("1381234567", "应为11位，您填写了10位"),
                                               ("12345678901", "不是有效的手机号"), ("1381234567a", "只能是数字")])
def test_bad_phone_numbers_are_explained(phone, words):
    outcome = signin.request_code(phone)
    assert not outcome.ok and words in outcome.message


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_the_same_instant_send_one_code(postgres_only):
    """Ten threads, each with its own PostgreSQL connection, ask for a code for one phone at once:
    one code is sent, the nine others are told to wait, and they do not use up the day's ten."""
    barrier = threading.Barrier(10)

    def ask():
        try:
            barrier.wait(timeout=60)
            return signin.request_code("13812345678")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(lambda _: ask(), range(10)))
    assert sum(o.ok for o in outcomes) == 1, [o.message for o in outcomes]
    assert all("秒后再获取" in o.message for o in outcomes if not o.ok)
    assert LoginCode.objects.count() == 1
    assert DailyQuota.objects.get(subject__startswith="otp:").used == 1
