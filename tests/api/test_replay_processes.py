"""Issue #10, 1: nonces and limits hold across server processes, not per worker.

Two real gunicorn servers (one worker each, the way `make run`'s two workers split the traffic) run on
the test database — SQLite file, or PostgreSQL under DATABASE_URL — without REDIS_URL. Requests
alternate between them, as a load balancer would send them:

- one signed ``PUT …/address`` sent 20 times is accepted once; the 19 copies get ``replayed_nonce``;
- a partner allowed 10 requests a minute gets 10, not 20;
- sign-in codes per address stop at 30 an hour and progress look-ups at 20, not twice that.

Before the fix each process kept nonces and counters in its own memory: the PUT was accepted twice and
every limit doubled.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from sscard.accounts.signin import PER_IP_PER_HOUR
from sscard.api import signing
from sscard.api.client import ChannelClient, UrllibSession
from sscard.api.models import ChannelPartner
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "replay-secret-0123456789abcdefghijkl"
PHONE = "13812345678"
PROGRESS_PER_HOUR = 20  # applications/views.py public_progress
SERVER_SETTINGS = """\
import os

from sscard.settings import *  # noqa: F403

# The test's own database (a file SQLite database, or the PostgreSQL test database).
DATABASES["default"]["NAME"] = os.environ["SSCARD_SERVER_TEST_DB"]  # noqa: F405
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 45  # start-up on a busy machine; not an assertion about speed
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"server did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, django_db_setup):
    """Started once for the module (the database is emptied between tests, counters included)."""
    from django.conf import settings

    tmp_path = tmp_path_factory.mktemp("servers")
    (tmp_path / "replay_server_settings.py").write_text(SERVER_SETTINGS)
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="replay_server_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")]),
        SSCARD_VAR_DIR=str(settings.VAR_DIR),  # the same dev secrets (field keys, SECRET_KEY) as this process
        SSCARD_SERVER_TEST_DB=str(connection.settings_dict["NAME"]),
        SSCARD_TRUSTED_PROXIES="", SSCARD_TRUSTED_PROXY_COUNT="0",
    )
    servers, processes = [], []
    try:
        for n in range(2):
            port, log = _free_port(), tmp_path / f"server{n}.log"
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "sscard.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--timeout", "60"],
                env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            ))
            servers.append((f"http://127.0.0.1:{port}", processes[-1], log))
        for base, process, log in servers:
            _wait_until_up(base, process, log)
        yield [base for base, _, _ in servers]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _send(url: str, method: str, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


class Browser:
    """A citizen's browser: one cookie jar (session, CSRF) used against whichever server answers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def post(self, base: str, path: str, fields: dict) -> tuple[int, str]:
        if not any(cookie.name == "csrftoken" for cookie in self.jar):
            self.opener.open(f"{base}/login/", timeout=30).read()
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        request = urllib.request.Request(
            f"{base}{path}", data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"X-CSRFToken": token, "Referer": f"{base}/login/"},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def test_signed_put_sent_twenty_times_to_two_processes_is_accepted_once(two_servers):
    person = PersonFactory(name="张伟")
    partner = ChannelPartner.objects.create(app_id="yss-replay", name="粤省事(测试)", channel="yueshengshi",
                                            secret=SECRET)
    user = ChannelClient(f"{two_servers[0]}/api/v1", partner.app_id, SECRET, UrllibSession()).for_user(PHONE)
    started = user.start_application(name=person.name, id_number=person.id_number)
    assert started.status_code == 201, started.content
    app_id = started.json()["application"]["id"]

    path = f"/api/v1/applications/{app_id}/address"
    body = json.dumps({"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}).encode()
    headers = {"Content-Type": "application/json",
               **signing.signed_headers(partner.app_id, SECRET, "PUT", path, body=body, user_phone=PHONE)}
    answers = [_send(f"{two_servers[i % 2]}{path}", "PUT", body, headers) for i in range(20)]

    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 1, f"accepted {statuses.count(200)} times of 20: {statuses}"
    assert statuses[0] == 200
    assert [body.get("code") for _, body in answers[1:]] == ["replayed_nonce"] * 19
    assert set(statuses[1:]) == {401}


def test_partner_limit_holds_across_processes(two_servers):
    partner = ChannelPartner.objects.create(app_id="h5-limit", name="公众号(测试)", channel="h5", secret=SECRET,
                                            rate_limit_per_minute=10)
    answers = []
    for i in range(14):
        headers = signing.signed_headers(partner.app_id, SECRET, "GET", "/api/v1/towns")
        answers.append(_send(f"{two_servers[i % 2]}/api/v1/towns", "GET", b"", headers))
    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 10, f"{statuses.count(200)} of 14 let through: {statuses}"
    assert [body.get("code") for status, body in answers if status != 200] == ["rate_limited"] * 4


def test_sign_in_codes_and_progress_lookups_per_address_hold_across_processes(two_servers):
    browser = Browser()
    codes = [browser.post(two_servers[i % 2], "/login/code/", {"phone": f"1{3700000000 + i:010d}"})
             for i in range(PER_IP_PER_HOUR + 2)]
    sent = [status for status, _ in codes]
    assert sent == [200] * PER_IP_PER_HOUR + [429, 429], f"{sent.count(200)} codes sent: {sent}"
    assert "请求验证码太频繁" in codes[-1][1]

    lookups = [browser.post(two_servers[i % 2], "/progress/", {"name": "张伟", "id_number": "440101199001011234"})
               for i in range(PROGRESS_PER_HOUR + 2)]
    refused = [bool(re.search("查询太频繁", page)) for _, page in lookups]
    assert all(status < 500 for status, _ in lookups)
    assert refused == [False] * PROGRESS_PER_HOUR + [True, True], f"{refused.count(False)} look-ups: {refused}"
