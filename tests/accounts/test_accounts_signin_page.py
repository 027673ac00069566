"""The sign-in page as a citizen meets it: the resend countdown and the doors that must be POST."""

import re

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_limits():
    cache.clear()


def _retry_after(html: str) -> int | None:
    found = re.search(r'data-retry-after="(\d+)"', html)
    return int(found.group(1)) if found else None


def test_a_sent_code_starts_the_countdown_and_a_refusal_carries_what_is_left(client):
    sent = client.post("/login/code/", {"phone": "13812345678"})
    assert sent.status_code == 200 and _retry_after(sent.content.decode()) == 60

    again = client.post("/login/code/", {"phone": "13812345678"})
    left = _retry_after(again.content.decode())
    assert again.status_code == 429 and left is not None and 1 <= left <= 60
    assert f"请{left}秒后再获取" in again.content.decode()


def test_the_page_drawn_again_after_a_wrong_code_keeps_counting(client):
    client.post("/login/code/", {"phone": "13812345678"})
    page = client.post("/login/", {"phone": "13812345678", "code": "000000"}).content.decode()
    assert "验证码不正确" in page
    button = re.search(r'<button[^>]*data-testid="send-code"[^>]*>', page).group(0)
    assert 1 <= _retry_after(button) <= 60
    # The countdown is a static script (the Content-Security-Policy allows no inline script).
    assert re.search(r'<script src="[^"]*sscard/signin\.js"', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_no_countdown_for_a_phone_without_a_recent_code(client):
    page = client.post("/login/", {"phone": "13812345678", "code": "000000"}).content.decode()
    assert _retry_after(page) is None
    assert _retry_after(client.post("/login/code/", {"phone": "123"}).content.decode()) is None


def test_a_link_cannot_sign_anyone_out(client):
    from tests.helpers import sign_in

    sign_in(client)
    assert client.get("/logout/").status_code == 405
    assert client.get("/my/").status_code == 200  # still signed in
    assert client.post("/logout/").status_code == 302
    assert client.get("/my/").status_code == 302  # signed out by the form's POST


def test_a_link_cannot_switch_to_elder_mode(client):
    assert client.get("/elder-mode/").status_code == 405
    assert 'class="elder"' not in client.get("/").content.decode()
    client.post("/elder-mode/", {"next": "/"})
    assert 'class="elder"' in client.get("/").content.decode()
