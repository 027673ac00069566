"""The demo card maker: exported batches answered through the exchange folder and imported by the same code,
so cards get made with no one acting."""

from __future__ import annotations

import collections
import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from sscard.applications.constants import State
from sscard.applications.numbers import format_number, is_valid
from sscard.cards.models import Card
from sscard.production import jobs, simulator
from sscard.production.resultfile import parse_results
from sscard.scheduling import JOBS


def test_outcomes_are_deterministic_mostly_ok_with_a_few_failures():
    numbers = [format_number(datetime.date(2026, 3, 2), n) for n in range(1, 2001)]
    outcomes = [simulator.outcome("ZK202603020001", n) for n in numbers]
    assert outcomes == [simulator.outcome("ZK202603020001", n) for n in numbers]
    kinds = collections.Counter(o["reason"] or o["result"] for o in outcomes)
    assert 0.03 < kinds["photo_unusable"] / 2000 < 0.07
    assert 0.07 < kinds["data_error"] / 2000 < 0.13
    assert kinds["ok"] == 2000 - kinds["photo_unusable"] - kinds["data_error"]
    cards = [o["card_number"] for o in outcomes if o["result"] == "ok"]
    assert len(set(cards)) == len(cards)
    # A retry in another batch gets a fresh outcome, so a data error is not forever.
    assert outcomes != [simulator.outcome("ZK202603020002", n) for n in numbers]


def test_the_result_file_meets_the_import_contract():
    numbers = [format_number(datetime.date(2026, 3, 2), n) for n in range(1, 60)]
    lines = ["application_number,name,id_number,sex,birth_date,photo_file,photo_sha256"]
    lines += [f"{n},张伟,442000199001010011,M,1990-01-01,photos/{n}.jpg,{'0' * 64}" for n in numbers]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.csv", "\r\n".join(lines) + "\r\n")
    parsed = parse_results(simulator.result_file("ZK202603020001", buffer.getvalue()), valid_number=is_valid)
    assert parsed.errors == [] and [r.application_number for r in parsed.rows] == numbers


def test_jobs_register_only_with_the_simulator_on(settings):
    saved = dict(JOBS)
    try:
        for name in [n for n in JOBS if n.startswith("production.")]:
            del JOBS[name]
        settings.CARD_MAKER_SIMULATOR = False
        jobs.register()
        assert not [n for n in JOBS if n.startswith("production.")]
        settings.CARD_MAKER_SIMULATOR = True
        jobs.register()
        assert {"production.export_batch", "production.card_maker_simulator", "production.import_results"} <= set(JOBS)
    finally:
        JOBS.clear()
        JOBS.update(saved)


@pytest.mark.django_db
def test_approved_to_produced_with_no_one_acting(approved, exchange_dir):
    apps = [approved() for _ in range(4)]
    now = timezone.now()
    exported = jobs.export_job(now)
    assert exported["count"] == 4
    batch = exported["batch"]
    assert (exchange_dir / "to_maker" / f"{batch}.zip").is_file()
    assert jobs.simulate_job(now) == {"batches": 1, "rows": 4}
    assert jobs.simulate_job(now) == {"batches": 0, "rows": 0}  # answered once
    counts = jobs.import_job(now)
    assert counts == {"files": 1, "applied": 4, "unchanged": 0, "rejected": 0}
    assert (exchange_dir / "from_maker" / "imported" / f"{batch}.csv").is_file()
    assert jobs.import_job(now)["files"] == 0 and jobs.simulate_job(now)["batches"] == 0  # nothing left to do

    expected = {"ok": State.PRODUCED, "photo_unusable": State.RETURNED, "data_error": State.PRODUCTION_FAILED}
    for application in apps:
        application.refresh_from_db()
        outcome = simulator.outcome(batch, application.acceptance_number)
        assert application.state == expected[outcome["reason"] or outcome["result"]]
        if outcome["result"] == "ok":
            card = Card.objects.get(application=application)
            assert (card.card_number, card.card_id, card.bank) == (outcome["card_number"], outcome["card_id"],
                                                                   outcome["bank"])
    assert Card.objects.exists(), "with four applications at least one card is made (each ~85% likely)"


@pytest.mark.django_db
def test_a_rejected_result_file_is_set_aside_with_its_errors(exchange_dir):
    folder = exchange_dir / "from_maker"
    folder.mkdir(parents=True)
    (folder / "bad.csv").write_bytes(b"application_number,result\nZS1,ok\n")
    assert jobs.import_job(timezone.now())["rejected"] == 1
    report = json.loads((folder / "rejected" / "bad.errors.json").read_text())
    assert report["applied"] == 0 and report["errors"][0]["line"] == 1
    assert (folder / "rejected" / "bad.csv").is_file() and not (folder / "bad.csv").exists()
