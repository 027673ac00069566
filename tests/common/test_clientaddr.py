"""The client address behind a load balancer: X-Forwarded-For only from a trusted proxy, read from the right."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from sscard.common import sharedstore
from sscard.common.clientaddr import client_address

LB = "10.0.0.5"  # our load balancer
rf = RequestFactory()


def _address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", **extra))


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 0
    assert _address("203.0.113.7", "1.2.3.4") == "203.0.113.7"


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    # A citizen straight to the server (not through our proxy) cannot choose an address by header.
    ("203.0.113.7", "1.2.3.4", "203.0.113.7"),
    # Through the load balancer: it appended the peer it saw.
    (LB, "198.51.100.20", "198.51.100.20"),
    # A forged entry on the left is passed on by the balancer; the right-most untrusted one is the client.
    (LB, "1.2.3.4, 198.51.100.20", "198.51.100.20"),
    # Two of our proxies in a row (the CDN-side one is in 10.0.0.0/24 too).
    (LB, "198.51.100.20, 10.0.0.9", "198.51.100.20"),
    # No header from the balancer: the balancer itself is all we know.
    (LB, None, LB),
    # Garbage where the balancer's entry should be: counted under the balancer, never as text.
    (LB, "not-an-address", LB),
    # IPv6, normalised.
    (LB, "2001:DB8::1", "2001:db8::1"),
])
def test_trusted_proxy_networks(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = ["10.0.0.0/24"], 0
    assert _address(remote, forwarded) == expected


@pytest.mark.parametrize(("forwarded", "expected"), [
    ("198.51.100.20", "198.51.100.20"),
    ("1.2.3.4, 198.51.100.20", "198.51.100.20"),
    (None, LB),
])
def test_trusted_proxy_count(settings, forwarded, expected):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 1
    assert _address(LB, forwarded) == expected


# --- what a citizen notices: the sign-in code limit per address (30 an hour) -----------------------


@pytest.fixture
def shared_limits(settings, db):
    settings.SHARED_STORE_REDIS_URL = ""
    sharedstore.reset_redis_state()
    cache.clear()


def _ask_codes(client, count, first_phone, **extra):
    return [client.post("/login/code/", {"phone": f"1{first_phone + i:010d}"}, **extra).status_code
            for i in range(count)]


def test_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(settings, shared_limits):
    """Before: no proxy setting, so the attacker's own address counts — and a fresh forged X-Forwarded-For
    per request must not give a fresh allowance."""
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 0
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.post("/login/code/", {"phone": f"1{3800000000 + i:010d}"},
                            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(31)]
    assert statuses == [200] * 30 + [429]


def test_behind_the_trusted_proxy_two_citizens_have_their_own_limits(settings, shared_limits):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = ["10.0.0.0/24"], 0
    through_lb = Client(REMOTE_ADDR=LB)
    first = _ask_codes(through_lb, 31, 3800000000, HTTP_X_FORWARDED_FOR="198.51.100.20")
    second = _ask_codes(through_lb, 5, 3900000000, HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert first == [200] * 30 + [429]  # the first citizen used up his hour …
    assert second == [200] * 5  # … and the second, behind the same balancer, is not refused
