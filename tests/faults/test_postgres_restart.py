"""Fault: PostgreSQL stops and starts again while citizens are using the live site.

On a throw-away cluster this test starts itself (never the machine's shared server): the schema is migrated
into it, citizens are signed in and their drafts filled in (``pg_load.py``), and a real web server (gunicorn
with the project's WSGI application) serves them. A loop drives real HTTP requests as those citizens would:
their list of applications, a page of their application, a draft saved, a draft submitted. PostgreSQL is
stopped in the middle (``pg_ctl stop -m fast``), kept away for a few seconds, and started again.

What a person notices is asserted: every answer was a normal page or redirect, or the Chinese "系统繁忙，暂时
无法办理" page (503, Retry-After, the site's layout) — never Django's English, a crash page or a hang; at least
one answer during the outage was that page (so the outage really happened); the same server works again
without a restart; and nothing is lost or half-written (every submitted application has its acceptance
number, one submit event and its SMS in the outbox; every draft is still there, with its last save).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.faults.pgcluster import Cluster, binaries, free_port

REPO = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds: an upper bound for a slow shared machine, not a speed check
HANG = 15  # seconds: a request with no answer by then counts as a hang
OUTAGE_SECONDS = 3
CITIZENS = 5  # the first keeps a draft it saves again and again; the others submit theirs
ENGLISH = ("Server Error", "Service Unavailable", "Traceback", "OperationalError", "Internal", "Exception")

pytestmark = pytest.mark.skipif(binaries() is None, reason="no PostgreSQL server binaries (initdb, pg_ctl) here")


@pytest.fixture
def cluster():
    made = Cluster(binaries())
    try:
        made.init()
        made.pg_ctl("start")
        yield made
    finally:
        made.destroy()


class Citizens:
    """Drives the live server as the prepared citizens, round after round, recording every answer."""

    def __init__(self, base: str, people: list[dict]):
        self.base = base
        self.phase = "up"
        self.records: list[dict] = []
        self.saves: list[tuple[int, int]] = []  # (round, status) of each save of the saver's draft
        self.released = 1  # how many submitters may submit now (the test releases the rest at the outage)
        self.submitted: set[int] = set()
        self.stop = threading.Event()
        self.sessions = []
        for person in people:
            session = requests.Session()
            session.cookies.set("sessionid", person["sessionid"])
            session.cookies.set("csrftoken", person["csrftoken"])
            self.sessions.append((session, person))

    def _request(self, session, person, method: str, path: str, data: dict | None = None) -> int:
        record = {"phase": self.phase, "method": method, "path": path}
        try:
            response = session.request(
                method, self.base + path, timeout=HANG, allow_redirects=False,
                data={**(data or {}), "csrfmiddlewaretoken": person["csrftoken"]} if method == "POST" else None)
        except requests.RequestException as exc:  # a hang (timeout) or a dropped connection
            record["status"] = type(exc).__name__
        else:
            record["status"] = response.status_code
            record["retry_after"] = response.headers.get("Retry-After")
            record["text"] = response.text if response.status_code >= 400 else ""
        self.records.append(record)
        return record["status"]

    def run(self) -> None:
        n = 0
        saver, submitters = self.sessions[0], self.sessions[1:]
        while not self.stop.is_set():
            session, person = saver
            self._request(session, person, "GET", "/my/")
            self._request(session, person, "GET", f"/apply/{person['public_id']}/")
            status = self._request(session, person, "POST", f"/apply/{person['public_id']}/address/",
                                   {"town": "shiqi", "address_detail": f"幸福小区{n + 1}栋3单元602"})
            self.saves.append((n, status))
            waiting = [s for s in submitters[:self.released] if s[1]["pk"] not in self.submitted]
            if waiting:
                session, person = waiting[0]
                if self._request(session, person, "POST", f"/apply/{person['public_id']}/confirm/") == 302:
                    self.submitted.add(person["pk"])
            n += 1
            time.sleep(0.05)

    def rounds_ok_since(self, index: int) -> int:
        """How many saves since record ``index`` worked (the saver's POST answered with its redirect)."""
        return sum(1 for r in self.records[index:] if r["method"] == "POST" and "address" in r["path"]
                   and r["status"] == 302)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.1)


def healthy(base: str) -> bool:
    try:
        return requests.get(base + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_the_live_site_survives_a_postgres_outage(cluster, tmp_path):
    url = cluster.createdb("sscard")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SSCARD_VAR_DIR": str(tmp_path), "PYTHONPATH": str(REPO),
           "DJANGO_SETTINGS_MODULE": "sscard.settings", "SSCARD_DEMO": "false", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    env.pop("REDIS_URL", None)  # this test's own processes only: rate limits and caches in each process
    subprocess.run([sys.executable, "-m", "sscard.cli", "migrate", "--no-input", "-v", "0"], cwd=REPO, env=env,
                   check=True, timeout=WAIT * 2)
    prepared = subprocess.run([sys.executable, str(REPO / "tests" / "faults" / "pg_load.py"), str(CITIZENS)],
                              cwd=REPO, env=env, timeout=WAIT * 2, capture_output=True, text=True)
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    people = [json.loads(line) for line in prepared.stdout.splitlines()]

    # gunicorn with the project's WSGI application, as ``sscard serve`` runs it, without its post-fork warm-up
    # of the photo models (seconds of CPU on a shared machine, and no part of what is tested here).
    server_log = tmp_path / "server.log"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sscard.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "4", "--timeout", "30", "--no-control-socket"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    citizens = Citizens(base, people)
    loop = threading.Thread(target=citizens.run, daemon=True)
    try:
        wait_for(lambda: healthy(base), "the web server to start")
        loop.start()
        wait_for(lambda: len(citizens.submitted) == 1 and citizens.rounds_ok_since(0) >= 3,
                 "the first rounds to work")

        citizens.phase = "down"
        citizens.released = CITIZENS - 1  # their submits meet the outage, and must go through once it is over
        cluster.pg_ctl("stop", "-m", "fast")
        down_from = len(citizens.records)
        time.sleep(OUTAGE_SECONDS)  # the loop keeps requesting meanwhile
        wait_for(lambda: len(citizens.records) > down_from + 3, "requests during the outage")
        citizens.phase = "back"
        cluster.pg_ctl("start")
        back_from = len(citizens.records)
        wait_for(lambda: len(citizens.submitted) == CITIZENS - 1 and citizens.rounds_ok_since(back_from) >= 5,
                 "the same server to work again and every submit to go through")
    finally:
        citizens.stop.set()
        loop.join(timeout=HANG * 2)
        os.killpg(server.pid, 15)
        server.wait(timeout=WAIT)

    records = citizens.records
    outage_pages = [r for r in records if r["phase"] == "down" and r["status"] == 503]
    assert outage_pages, [r["status"] for r in records if r["phase"] == "down"]  # the outage really happened
    for record in records:
        status = record["status"]
        assert isinstance(status, int), record  # no hang, no dropped connection
        if status < 400:
            continue
        assert status == 503, {k: v for k, v in record.items() if k != "text"}
        assert record["retry_after"], record["path"]
        text = record["text"]
        assert "系统繁忙" in text and "请稍" in text and 'data-status="503"' in text, text[:500]
        assert "中山人社" in text and "12333" in text  # the site's layout, with where to call
        assert not any(word in text for word in ENGLISH), text[:500]
    last_good = max(n for n, status in citizens.saves if status == 302)
    server_output = server_log.read_text()
    assert "Internal Server Error" not in server_output
    assert "database_unavailable" in server_output or "Service Unavailable" in server_output  # logged

    with psycopg.connect(url) as db:
        applications = dict(db.execute(
            "SELECT id, state FROM applications_application").fetchall())
        accepted = dict(db.execute("SELECT id, acceptance_number FROM applications_application "
                                   "WHERE state <> 'draft'").fetchall())
        events = dict(db.execute("SELECT application_id, count(*) FROM applications_applicationevent "
                                 "WHERE action = 'submit' GROUP BY application_id").fetchall())
        outbox = dict(db.execute("SELECT reference_id, count(*) FROM notifications_notification "
                                 "WHERE reference_kind = 'application' GROUP BY reference_id").fetchall())
        saved = db.execute("SELECT address_detail FROM applications_application WHERE id = %s",
                           (people[0]["pk"],)).fetchone()[0]
    assert set(applications) == {p["pk"] for p in people}  # no draft lost, none made twice
    assert applications[people[0]["pk"]] == "draft"
    assert set(accepted) == {p["pk"] for p in people[1:]}  # every submit went through, once the database was back
    for pk, acceptance_number in accepted.items():
        assert acceptance_number, pk
        assert events.get(pk) == 1, pk  # submitted once, though some were sent again after a 503
        assert outbox.get(str(pk), 0) >= 1, pk  # the acceptance SMS, queued in the same transaction
    # The draft holds its last save that was confirmed, or a later one whose answer was lost in the outage.
    assert int(saved.removeprefix("幸福小区").removesuffix("栋3单元602")) - 1 >= last_good
