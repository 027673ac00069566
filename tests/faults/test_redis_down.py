"""Fault: Redis stopped — rate limits and nonces fall back to the database and still hold, with no 500.

The test starts its own redis-server on a free port (never the machine's shared one), points the shared
store at it, uses it, stops it in the middle, and goes on: every later answer comes from the database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client

from sscard.accounts.signin import PER_IP_PER_HOUR
from sscard.api import signing
from sscard.api.client import ChannelClient, DjangoTestSession
from sscard.api.models import ChannelPartner
from sscard.common import sharedstore
from sscard.common.models import SharedCounter

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")
SECRET = "redis-down-secret-0123456789abcdefgh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed: this fault needs a Redis the test can stop")
    port = _free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 20  # start-up on a busy machine; not an assertion about speed
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the test's redis-server did not start")
            time.sleep(0.05)
    try:
        yield process, client, url
    finally:
        client.close()
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _ask_code(client: Client, n: int) -> int:
    response = client.post("/login/code/", {"phone": f"1{3600000000 + n:010d}"})
    assert response.status_code < 500, response.content[:300]
    return response.status_code


def test_redis_stopped_limits_fall_back_to_the_database_and_still_hold(own_redis, settings, caplog):
    process, redis_client, url = own_redis
    settings.SHARED_STORE_REDIS_URL = url
    sharedstore.reset_redis_state()
    partner = ChannelPartner.objects.create(app_id="yss-fault", name="粤省事(测试)", channel="yueshengshi",
                                            secret=SECRET)
    api_session = DjangoTestSession(Client())
    api = ChannelClient("http://testserver/api/v1", partner.app_id, SECRET, api_session)
    citizen = Client(REMOTE_ADDR="198.51.100.30")
    try:
        # Redis up: the counts and the nonce are in Redis, nothing in the database.
        assert [_ask_code(citizen, n) for n in range(5)] == [200] * 5
        assert api.towns().status_code == 200
        assert redis_client.dbsize() >= 3  # the address's window, the partner's window, one nonce
        assert not SharedCounter.objects.exists()

        # Redis stops in the middle of the hour.
        process.terminate()
        process.wait(timeout=10)
        with caplog.at_level("WARNING", logger="sscard.common"):
            after = [_ask_code(citizen, n) for n in range(5, 5 + PER_IP_PER_HOUR + 3)]

            # A signed request and its exact copy: the copy is refused (the nonce is claimed in the database).
            headers = signing.signed_headers(partner.app_id, SECRET, "GET", "/api/v1/towns")
            first = api_session.request("GET", "http://testserver/api/v1/towns", headers=headers)
            copy = api_session.request("GET", "http://testserver/api/v1/towns", headers=headers)
            refused_page = citizen.post("/login/code/", {"phone": "13611111111"}).content.decode()
    finally:
        sharedstore.reset_redis_state()

    # The database counts from the moment Redis went: 30 more codes at most, then refused — never a 500,
    # and never unlimited.
    assert after == [200] * PER_IP_PER_HOUR + [429] * 3
    assert "请求验证码太频繁" in refused_page
    assert first.status_code == 200
    assert copy.status_code == 401 and copy.json()["code"] == "replayed_nonce"
    assert SharedCounter.objects.filter(key__contains="otp-ip:198.51.100.30").get().count == PER_IP_PER_HOUR + 4
    warnings = [r.getMessage() for r in caplog.records if "shared_store_fallback" in r.getMessage()]
    assert len(warnings) == 1, warnings  # said once, not once per request
