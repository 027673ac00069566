"""Staff sign-in: password, then TOTP (or enrolment); lockout; sign-out; every step in the audit trail."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.audit.models import AuditEntry
from sscard.demo import staff as demo_staff
from tests.factories import StaffUserFactory
from tests.staff.conftest import KEY, PASSWORD, code_for, sign_in

pytestmark = pytest.mark.django_db


def test_password_then_code_signs_in_and_the_trail_says_so(client):
    user = StaffUserFactory(username="lihua", last_name="李", first_name="华", role="reviewer", totp_key=KEY)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/?next=/staff/")

    response = client.post("/staff/login/", {"username": "lihua", "password": PASSWORD, "next": "/staff/"})
    assert response["Location"] == "/staff/login/verify/"
    page = client.get("/staff/login/verify/").content.decode()
    assert "输入动态口令" in page and "密钥" not in page  # an enrolled user is never shown a secret

    response = client.post("/staff/login/verify/", {"token": code_for(KEY)})
    assert response["Location"] == "/staff/"
    home = client.get("/staff/").content.decode()
    assert "李华" in home and "审核员" in home
    entry = AuditEntry.objects.get(action="staff.signin")
    assert (entry.user, entry.username, entry.role, entry.ip) == (user, "lihua", "reviewer", "127.0.0.1")


def test_the_password_alone_opens_no_staff_page(client):
    StaffUserFactory(username="sup", role="supervisor", totp_key=KEY)
    client.post("/staff/login/", {"username": "sup", "password": PASSWORD})
    for url in ["/staff/", "/staff/audit/", "/staff/admin/"]:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/staff/login/"), url
        assert "工作人员登录" in response.content.decode()


def test_a_wrong_code_is_refused_and_counts_as_a_failure(client):
    StaffUserFactory(username="wang", role="production", totp_key=KEY)
    client.post("/staff/login/", {"username": "wang", "password": PASSWORD})
    right = code_for(KEY)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/staff/login/verify/", {"token": wrong})
    assert response.status_code == 400
    assert "动态口令不正确或已过期" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(action="staff.signin_failed", username="wang",
                                     details__step="second_factor").count() == 1
    assert AccessAttempt.objects.get(username="wang").failures_since_start == 1


def test_a_code_is_accepted_once(client):
    user = StaffUserFactory(username="zhao", role="clerk", totp_key=KEY)
    sign_in(client, user)
    client.post("/staff/logout/")
    used = TOTPDevice.objects.get(user=user).last_t
    replay = f"{TOTP(bytes.fromhex(KEY), drift=used - TOTP(bytes.fromhex(KEY)).t()).token():06d}"
    client.post("/staff/login/", {"username": "zhao", "password": PASSWORD})
    assert client.post("/staff/login/verify/", {"token": replay}).status_code == 400


def test_first_sign_in_enrols_an_authenticator(client):
    user = StaffUserFactory(username="newbie", role="reviewer")
    client.post("/staff/login/", {"username": "newbie", "password": PASSWORD})
    page = client.get("/staff/login/verify/").content.decode()
    assert "绑定动态口令" in page
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    uri = re.search(r'data-testid="otp-uri">([^<]+)<', page).group(1)
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    assert secret in client.get("/staff/login/verify/").content.decode().replace(" ", "")  # a reload keeps it

    response = client.post("/staff/login/verify/", {"token": f"{TOTP(key).token():06d}"})
    assert response["Location"] == "/staff/"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.bin_key == key
    assert list(AuditEntry.objects.filter(user=user).order_by("id").values_list("action", flat=True)) == [
        "staff.otp_enrolled", "staff.signin"]


def test_a_wrong_password_says_so_and_is_recorded(client):
    StaffUserFactory(username="chen", role="reviewer", totp_key=KEY)
    response = client.post("/staff/login/", {"username": "chen", "password": "wrong-password"})
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.content.decode()
    entry = AuditEntry.objects.get(action="staff.signin_failed")
    assert entry.user is None and entry.username == "chen" and entry.details["step"] == "password"
    assert "wrong-password" not in str(entry.details)


def test_an_account_without_a_role_cannot_sign_in(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password=PASSWORD)
    response = client.post("/staff/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 400 and "未分配岗位" in response.content.decode()


def test_five_failures_lock_the_username_at_that_address_until_the_lock_passes(client, settings):
    user = StaffUserFactory(username="liu", role="reviewer", totp_key=KEY)
    for attempt in range(1, 5):
        response = client.post("/staff/login/", {"username": "liu", "password": f"bad-{attempt}"})
        assert response.status_code == 400
    assert "再错1次" in response.content.decode()
    response = client.post("/staff/login/", {"username": "liu", "password": "bad-5"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page and "联系系统管理员" in page
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert retry_at.strftime("%H:%M") in page

    # The right password is refused while the lock lasts (and the refusal is in the trail).
    response = client.post("/staff/login/", {"username": "liu", "password": PASSWORD})
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action="staff.signin_locked", username="liu").count() == 2
    # The lock is for this username at this address: the same person elsewhere is not locked out.
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert other.post("/staff/login/", {"username": "liu", "password": PASSWORD})["Location"] == "/staff/login/verify/"

    # Once the lock has passed, the right password works again.
    passed = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.filter(username="liu").update(attempt_time=passed)
    sign_in(client, user)
    assert client.get("/staff/").status_code == 200


def test_wrong_codes_count_towards_the_same_lock(client):
    StaffUserFactory(username="he", role="reviewer", totp_key=KEY)
    client.post("/staff/login/", {"username": "he", "password": PASSWORD})
    for _ in range(4):
        assert client.post("/staff/login/verify/", {"token": "000000"}).status_code in {400, 429}
    response = client.post("/staff/login/verify/", {"token": "000000"})
    assert response.status_code == 429 and "账号已暂时锁定" in response.content.decode()
    # The half-done sign-in is forgotten, and the password is now refused too.
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"
    assert client.post("/staff/login/", {"username": "he", "password": PASSWORD}).status_code == 429


def test_sign_out_ends_the_session_and_is_recorded(client):
    user = StaffUserFactory(username="xu", role="supervisor", totp_key=KEY)
    sign_in(client, user)
    assert client.get("/staff/logout/").status_code == 405  # a link cannot sign anyone out
    response = client.post("/staff/logout/", follow=True)
    assert "已退出登录" in response.content.decode()
    assert client.get("/staff/")["Location"].startswith("/staff/login/")
    assert AuditEntry.objects.filter(user=user, action="staff.signout").exists()


def test_next_is_followed_only_within_the_site(client):
    user = StaffUserFactory(username="ma", role="supervisor", totp_key=KEY)
    client.post("/staff/login/", {"username": "ma", "password": PASSWORD, "next": "https://evil.example/x"})
    assert client.post("/staff/login/verify/", {"token": code_for(KEY, user)})["Location"] == "/staff/"
    client.post("/staff/logout/")
    client.post("/staff/login/", {"username": "ma", "password": PASSWORD, "next": "/staff/audit/"})
    assert client.post("/staff/login/verify/", {"token": code_for(KEY, user)})["Location"] == "/staff/audit/"


def test_demo_staff_sign_in_with_the_documented_secret(client, capsys, settings):
    call_command("load_demo")
    out = capsys.readouterr().out
    secret = base64.b32encode(bytes.fromhex(demo_staff.totp_key("reviewer"))).decode()
    assert "/staff/" in out and secret in out
    call_command("demo_staff")
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("reviewer"))
    assert "Demo@12345" in line and secret in line and re.search(r"当前口令 \d{6}", line)

    client.post("/staff/login/", {"username": "reviewer", "password": "Demo@12345"})
    response = client.post("/staff/login/verify/", {"token": demo_staff.current_code("reviewer")})
    assert response["Location"] == "/staff/"
    assert "审核员" in client.get("/staff/").content.decode()


def test_production_mode_creates_no_demo_staff(settings, capsys, django_user_model):
    settings.SSCARD_PRODUCTION = True
    with pytest.raises(Exception, match="生产模式"):  # production refuses the whole demo (tests/demo/test_guard.py)
        call_command("load_demo")
    assert not django_user_model.objects.exists()
    with pytest.raises(Exception, match="生产模式"):
        call_command("demo_staff")
