"""Signing: the pure module, and the server's refusals (bad signature, replay, clock, size, rate)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscard.api import signing
from sscard.api.client import ChannelClient

# --- the pure module ---------------------------------------------------------------------------


def test_canonical_string_is_the_documented_one():
    body = b'{"name":"\xe5\xbc\xa0\xe4\xbc\x9f"}'
    text = signing.canonical_string("post", "/api/v1/eligibility", "b=2&a=1", "1700000000", "n" * 16, body)
    assert text == "\n".join(
        ["POST", "/api/v1/eligibility", "a=1&b=2", "1700000000", "n" * 16, hashlib.sha256(body).hexdigest()]
    )


def test_worked_example_in_docs_matches():
    # docs/api.md quotes this exact signature: keep the guide and the code in step.
    signature = signing.sign("demo-secret", "GET", "/api/v1/branches", "town=shiqi", "1700000000",
                             "c2NhcmQtZXhhbXBsZS1ub25jZQ", b"")
    expected = hmac.new(
        b"demo-secret",
        b"GET\n/api/v1/branches\ntown=shiqi\n1700000000\nc2NhcmQtZXhhbXBsZS1ub25jZQ\n"
        b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        hashlib.sha256,
    ).hexdigest()
    assert signature == expected == "406b8fef53151a7aab8b7e399483760b914e84d72d3f2f4955aa147dc01de421"


@given(st.lists(st.from_regex(r"[a-z]{1,5}=[a-z0-9%]{0,5}", fullmatch=True), max_size=6))
def test_query_order_does_not_matter(parts):
    shuffled = list(reversed(parts))
    assert signing.canonical_query("&".join(parts)) == signing.canonical_query("&".join(shuffled))


@given(st.binary(max_size=200), st.binary(max_size=200))
def test_any_change_of_body_changes_the_signature(a, b):
    sa = signing.sign("k", "POST", "/p", "", "1", "n" * 16, a)
    sb = signing.sign("k", "POST", "/p", "", "1", "n" * 16, b)
    assert (sa == sb) == (a == b)


@pytest.mark.parametrize(
    ("app_id", "ts", "nonce", "sig", "reason"),
    [
        ("", "1", "n" * 16, "0" * 64, "missing_headers"),
        ("a b", "1", "n" * 16, "0" * 64, "unknown_app"),
        ("a", "-1", "n" * 16, "0" * 64, "bad_timestamp"),
        ("a", "١٢", "n" * 16, "0" * 64, "bad_timestamp"),  # Arabic-Indic digits pass str.isdigit()
        ("a", "1", "short", "0" * 64, "bad_nonce"),
        ("a", "1", "n" * 65, "0" * 64, "bad_nonce"),
        ("a", "1", "n" * 16, "xyz", "bad_signature"),
    ],
)
def test_header_syntax(app_id, ts, nonce, sig, reason):
    assert signing.check_format(app_id, ts, nonce, sig).reason == reason


def test_timestamp_window_is_five_minutes_either_way():
    now = 1_700_000_000
    assert signing.check_timestamp(str(now - 300), now=now) is None
    assert signing.check_timestamp(str(now + 300), now=now) is None
    assert signing.check_timestamp(str(now - 301), now=now).reason == "expired_timestamp"
    assert signing.check_timestamp(str(now + 301), now=now).reason == "expired_timestamp"


# --- the server refuses --------------------------------------------------------------------------


def test_a_correctly_signed_request_passes(api):
    response = api.towns()
    assert response.status_code == 200
    assert len(response.json()) == 23


def test_wrong_secret_is_refused(partner, session, error_of):
    forger = ChannelClient(BASE_URL, partner.app_id, "not-the-secret", session)
    error_of(forger.towns(), 401, "bad_signature")


def test_unknown_and_inactive_apps_are_refused(partner, session, error_of):
    error_of(ChannelClient(BASE_URL, "nobody", partner.secret, session).towns(), 401, "unknown_app")
    partner.active = False
    partner.save()
    error_of(ChannelClient(BASE_URL, partner.app_id, partner.secret, session).towns(), 401, "unknown_app")


def test_unsigned_request_is_refused(session, partner, error_of):
    response = session.request("GET", f"{BASE_URL}/towns")
    error_of(response, 401, "missing_headers")


def test_tampered_body_is_refused(user, session, error_of):
    user.eligibility("张伟", "442000199001010011")
    error_of(session.resend(data='{"name": "李娜", "id_number": "442000199001010011"}'.encode(),
                            headers={signing.HEADER_NONCE: signing.new_nonce()}), 401, "bad_signature")


def test_tampered_query_and_path_are_refused(api, session, error_of):
    api.branches(town="shiqi")
    error_of(session.resend(url=f"{BASE_URL}/branches?town=dongqu",
                            headers={signing.HEADER_NONCE: signing.new_nonce()}), 401, "bad_signature")
    error_of(session.resend(url=f"{BASE_URL}/towns?town=shiqi",
                            headers={signing.HEADER_NONCE: signing.new_nonce()}), 401, "bad_signature")


def test_tampered_multipart_upload_is_refused(session, error_of, partner):
    # The body hash covers the whole multipart envelope, file bytes included.
    client = ChannelClient(BASE_URL, partner.app_id, partner.secret, session).for_user("13812345678")
    client.upload("00000000-0000-0000-0000-000000000000", "portrait", b"original bytes")
    method, url, data, headers = session.last
    forged = data.replace(b"original bytes", b"swapped! bytes")
    error_of(session.resend(data=forged, headers={signing.HEADER_NONCE: signing.new_nonce()}), 401, "bad_signature")


def test_replay_is_refused(api, session, error_of):
    assert api.towns().status_code == 200
    error_of(session.resend(), 401, "replayed_nonce")


def test_nonce_is_per_app(api, partner, session, error_of):
    from sscard.api.models import ChannelPartner

    other = ChannelPartner.objects.create(app_id="h5-test", name="公众号(测试)", channel="h5", secret="other-secret")
    nonce = signing.new_nonce()
    headers = signing.signed_headers(partner.app_id, partner.secret, "GET", "/api/v1/towns", nonce=nonce)
    assert session.request("GET", f"{BASE_URL}/towns", headers=headers).status_code == 200
    headers = signing.signed_headers(other.app_id, "other-secret", "GET", "/api/v1/towns", nonce=nonce)
    assert session.request("GET", f"{BASE_URL}/towns", headers=headers).status_code == 200
    error_of(session.request("GET", f"{BASE_URL}/towns", headers=headers), 401, "replayed_nonce")


# A few seconds beyond the ±300 s window: the request takes time to arrive on a slow machine.
@pytest.mark.parametrize("skew", [-305, 310, -86_400])
def test_expired_or_future_timestamps_are_refused(partner, session, error_of, skew):
    headers = signing.signed_headers(partner.app_id, partner.secret, "GET", "/api/v1/towns",
                                     timestamp=int(time.time()) + skew)
    error_of(session.request("GET", f"{BASE_URL}/towns", headers=headers), 401, "expired_timestamp")


def test_an_expired_request_does_not_burn_its_nonce(partner, session, error_of):
    nonce = signing.new_nonce()
    stale = signing.signed_headers(partner.app_id, partner.secret, "GET", "/api/v1/towns",
                                   timestamp=int(time.time()) - 1000, nonce=nonce)
    error_of(session.request("GET", f"{BASE_URL}/towns", headers=stale), 401, "expired_timestamp")
    fresh = signing.signed_headers(partner.app_id, partner.secret, "GET", "/api/v1/towns", nonce=nonce)
    assert session.request("GET", f"{BASE_URL}/towns", headers=fresh).status_code == 200


def test_a_forged_request_does_not_burn_the_nonce(partner, session, error_of):
    nonce = signing.new_nonce()
    forged = signing.signed_headers(partner.app_id, "guess", "GET", "/api/v1/towns", nonce=nonce)
    error_of(session.request("GET", f"{BASE_URL}/towns", headers=forged), 401, "bad_signature")
    real = signing.signed_headers(partner.app_id, partner.secret, "GET", "/api/v1/towns", nonce=nonce)
    assert session.request("GET", f"{BASE_URL}/towns", headers=real).status_code == 200


def test_oversized_body_is_refused_from_content_length_before_reading(api, session, error_of):
    # Content-Length says 300 KB on a JSON endpoint: refused before the body is read or hashed.
    headers = signing.signed_headers(api.app_id, api.secret, "POST", "/api/v1/eligibility", body=b"{}")
    response = session.client.generic("POST", "/api/v1/eligibility", data=b"{}", content_type="application/json",
                                      headers=headers, CONTENT_LENGTH=str(300 * 1024))
    error_of(response, 413, "payload_too_large")


def test_upload_over_20_mb_is_refused_from_content_length(user, session, error_of):
    path = "/api/v1/applications/00000000-0000-0000-0000-000000000000/uploads/portrait"
    headers = signing.signed_headers(user.app_id, user.secret, "POST", path, body=b"x", user_phone="13812345678")
    response = session.client.generic("POST", path, data=b"x", content_type="multipart/form-data; boundary=x",
                                      headers=headers, CONTENT_LENGTH=str(21 * 1024 * 1024))
    error_of(response, 413, "payload_too_large")


def test_the_user_header_is_signed_and_cannot_be_swapped(user, session, error_of):
    headers = signing.signed_headers(user.app_id, user.secret, "GET", "/api/v1/me", user_phone="13812345678")
    assert session.request("GET", "http://testserver/api/v1/me", headers=dict(headers)).status_code == 200
    swapped = signing.signed_headers(user.app_id, user.secret, "GET", "/api/v1/me", user_phone="13812345678")
    swapped[signing.HEADER_USER_PHONE] = "13900000000"
    error_of(session.request("GET", "http://testserver/api/v1/me", headers=swapped), 401, "bad_signature")


def test_rate_limit_per_app(api, partner, error_of):
    partner.rate_limit_per_minute = 3
    partner.save()
    for _ in range(3):
        assert api.towns().status_code == 200
    response = api.towns()
    error_of(response, 429, "rate_limited")
    assert response.headers["Retry-After"] == "60"


def test_refusals_are_logged_once_without_personal_data(user, session, caplog, partner):
    forger = ChannelClient(BASE_URL, partner.app_id, "wrong", session).for_user("13812345678")
    with caplog.at_level(logging.INFO, logger="sscard.api"):
        forger.eligibility("张伟", "442000199001010011")
    lines = [r.getMessage() for r in caplog.records if r.name == "sscard.api"]
    assert len(lines) == 1
    assert lines[0].startswith(f"api_refused reason=bad_signature status=401 app_id={partner.app_id}")
    text = caplog.text
    assert "13812345678" not in text and "442000199001010011" not in text and "张伟" not in text


BASE_URL = "http://testserver/api/v1"
