"""Shared set-up for the end-to-end tests of a card's life (issue #14): a clock on a fixed day, a signed-in
citizen bound to their person, approved applications with a real face, and the operators' commands as the
shell runs them (each prints one JSON object)."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from sscard.accounts.models import Citizen
from sscard.applications.models import Upload
from sscard.notifications import dao as notifications
from sscard.production import exchange
from tests.factories import ApplicationFactory, PersonFactory, StaffUserFactory, make_id_number
from tests.helpers import delete_uploads, sign_in
from tests.photo_fixtures import jpeg
from tests.production.conftest import attach_portrait, portrait_jpeg, result_csv  # noqa: F401  (fixture re-used)

PHONE = "13812345678"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
# The day the story starts. Batch codes and acceptance numbers carry the date, and the demo card maker's answer
# follows from them: on this day the first application of the first batch comes back ``ok``.
START = datetime.datetime(2026, 11, 5, 10, 0, tzinfo=BEIJING)
BIRTHDAY = datetime.date(1988, 6, 15)
GOOD_PIN = "481592"
_files = itertools.count(1)


class Clock:
    """``timezone.now()`` starting at ``START`` and running on with real time; ``advance`` jumps ahead."""

    def __init__(self, start: datetime.datetime, real_now):
        self.start, self.real_now, self.began, self.offset = start, real_now, real_now(), datetime.timedelta()

    def __call__(self) -> datetime.datetime:
        return self.start.astimezone(datetime.UTC) + self.offset + (self.real_now() - self.began)

    def advance(self, **delta) -> datetime.datetime:
        self.offset += datetime.timedelta(**delta)
        return self()


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    fixed = Clock(START, timezone.now)
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRODUCTION_EXCHANGE_DIR = str(tmp_path / "exchange")
    settings.CARD_MAKER_SIMULATOR = False
    yield
    cache.clear()


@pytest.fixture
def person(db):
    return PersonFactory(name="黎明", id_number=make_id_number(born=BIRTHDAY))


@pytest.fixture
def citizen(client, person) -> Citizen:
    """The holder, signed in on ``client`` (SMS code) and bound to ``person`` by real-name check."""
    sign_in(client, PHONE)
    response = client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    assert response.status_code == 302, response.content.decode()
    account = Citizen.objects.get()
    assert account.person_id == person.pk
    return account


@pytest.fixture
def clerk(db):
    return StaffUserFactory(username="guitai1", role="clerk", first_name="柜员")


@pytest.fixture
def reviewer(db):
    return StaffUserFactory(username="shenhe1", role="reviewer")


@pytest.fixture
def approved(person, citizen, portrait_jpeg):  # noqa: F811
    """``approved(**fields)``: the citizen's application, approved, with an accepted portrait (a real face)."""
    made = []

    def make(**fields):
        application = ApplicationFactory(approved=True, person=person, account=citizen, phone=PHONE, **fields)
        attach_portrait(application, portrait_jpeg)
        for kind in ("id_front", "id_back"):  # the ID card photos it was approved with
            Upload.objects.create(application=application, kind=kind, file=ContentFile(jpeg(), name=f"{kind}.jpg"),
                                  ok=True, sha256="0" * 64, original_size=150_000)
        made.append(application)
        return application

    yield make
    for application in made:
        delete_uploads(application)


def birthday_pin(person) -> str:
    """YYMMDD of the holder's birthday, read from the ID number (the factory spreads birthdays over its sequence)."""
    return person.id_number[8:14]


def run(command: str, *args: str) -> dict:
    """``sscard <command> …`` as an operator runs it: the JSON it prints."""
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def export_batch() -> dict:
    """The operator exports a batch into the exchange folder the card maker reads."""
    return run("production", "export-batch", "--out", str(exchange.to_maker()))


def manifest(batch: dict) -> list[dict]:
    with zipfile.ZipFile(batch["file"]) as archive:
        return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"), newline="")))


def write(tmp: Path, data: bytes, suffix="csv") -> str:
    path = tmp / f"file-{next(_files)}.{suffix}"
    path.write_bytes(data)
    return str(path)


def import_results(tmp: Path, rows: list[dict]) -> dict:
    return run("production", "import-results", write(tmp, result_csv(rows)))


def import_logistics(tmp: Path, *rows: tuple[str, str, str, str]) -> dict:
    """``sscard logistics import`` with rows (card_number, event, waybill, at)."""
    lines = ["card_number,event,waybill,at", *(",".join(row) for row in rows)]
    return run("logistics", "import", write(tmp, ("\n".join(lines) + "\n").encode()))


def sms(kind: str, ref_id) -> list[str]:
    """The SMS templates sent about one thing, oldest first (the outbox, by reference)."""
    return [n.template_code for n in reversed(notifications.for_reference(kind, ref_id))]


def sms_body(kind: str, ref_id, template: str) -> str:
    [message] = [n for n in notifications.for_reference(kind, ref_id) if n.template_code == template]
    return message.body


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def local(at: datetime.datetime) -> str:
    return at.astimezone(BEIJING).isoformat(timespec="seconds")
