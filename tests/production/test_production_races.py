"""Two imports of one result file at the same moment have one effect (PostgreSQL, separate processes)."""

from __future__ import annotations

import pytest
from django.db import connection

from sscard.applications.constants import State
from sscard.applications.models import Application, ApplicationEvent
from sscard.cards.models import Card
from sscard.production.models import ResultImport
from tests.concurrency import run_processes
from tests.production.conftest import failed_row, ok_row, result_csv, run_command
from tests.production.import_race import race_import

pytestmark = pytest.mark.postgres


@pytest.fixture
def three_in_production(postgres_only, approved, tmp_path):
    apps = [approved() for _ in range(3)]
    run_command("export-batch", "--out", str(tmp_path / "out"))
    rows = [ok_row(apps[0], "A10000001"), ok_row(apps[1], "A10000002"), failed_row(apps[2], "photo_unusable")]
    return apps, result_csv(rows)


def _effects(apps: list[Application]) -> tuple:
    states = sorted(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("state", flat=True))
    produced = ApplicationEvent.objects.filter(action="mark_produced").count()
    returned = ApplicationEvent.objects.filter(action="return_after_failure").count()
    return states, produced, returned, Card.objects.count()


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_has_one_effect(three_in_production, tmp_path):
    apps, data = three_in_production
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(data)
    second.write_bytes(data)
    outcomes = run_processes(race_import, [(connection.settings_dict["NAME"], str(p)) for p in (first, second)])
    assert sorted(o["applied"] for o in outcomes) == [0, 3], outcomes
    assert sorted(o["unchanged"] for o in outcomes) == [0, 3], outcomes
    assert all(o["errors"] == [] for o in outcomes)
    assert _effects(apps) == (sorted([State.PRODUCED, State.PRODUCED, State.RETURNED]), 2, 1, 2)
    assert ResultImport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_rows_in_two_files_at_once_have_one_effect(three_in_production, tmp_path):
    """Not byte-identical (line ends differ), so only the application locks keep them apart."""
    apps, data = three_in_production
    first, second = tmp_path / "unix.csv", tmp_path / "dos.csv"
    first.write_bytes(data)
    second.write_bytes(data.replace(b"\n", b"\r\n"))
    outcomes = run_processes(race_import, [(connection.settings_dict["NAME"], str(p)) for p in (first, second)])
    assert sorted(o["applied"] for o in outcomes) == [0, 3], outcomes
    assert all(o["errors"] == [] for o in outcomes), outcomes
    assert _effects(apps) == (sorted([State.PRODUCED, State.PRODUCED, State.RETURNED]), 2, 1, 2)
