"""``sscard production export-batch``: approved applications → 制卡中, one zip to the card maker's contract."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.management.base import CommandError
from PIL import Image

from sscard.applications.constants import State
from sscard.applications.models import ApplicationEvent
from sscard.notifications import dao as notifications_dao
from sscard.photos.cardphoto import measure_card_photo
from sscard.production.constants import ItemResult
from sscard.production.models import Batch, BatchItem
from tests.production.conftest import faceless_jpeg, failed_row, result_csv, run_command

pytestmark = pytest.mark.django_db


def read_zip(path) -> tuple[list[dict], dict[str, bytes], list[str]]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = archive.read("manifest.csv")
        photos = {n: archive.read(n) for n in names if n.startswith("photos/")}
    text = manifest.decode("utf-8")  # strict UTF-8, no BOM
    assert not text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    return list(csv.DictReader(io.StringIO(text))), photos, header


def test_export_writes_the_zip_of_the_contract_and_moves_the_applications(approved, tmp_path):
    first, second = approved(), approved()
    output = run_command("export-batch", "--out", str(tmp_path / "out"))

    assert set(output) == {"batch", "count", "file"} and output["count"] == 2
    batch = Batch.objects.get()
    assert output["batch"] == batch.code and output["file"] == str(tmp_path / "out" / f"{batch.code}.zip")
    rows, photos, header = read_zip(output["file"])
    assert header == ["application_number", "name", "id_number", "sex", "birth_date", "photo_file", "photo_sha256"]
    assert [r["application_number"] for r in rows] == [first.acceptance_number, second.acceptance_number]
    row = rows[0]
    assert (row["name"], row["id_number"], row["sex"], row["birth_date"]) == (
        first.name, first.person.id_number, first.person.sex, first.person.birth_date.isoformat())
    assert row["photo_file"] == f"photos/{first.acceptance_number}.jpg"
    assert set(photos) == {r["photo_file"] for r in rows}
    for r in rows:
        photo = photos[r["photo_file"]]
        assert hashlib.sha256(photo).hexdigest() == r["photo_sha256"]
        with Image.open(io.BytesIO(photo)) as im:
            assert (im.format, im.mode, im.size) == ("JPEG", "RGB", (358, 441))
        assert 14 * 1024 <= len(photo) <= 40 * 1024
        assert measure_card_photo(photo)["face_found"]

    for application in (first, second):
        application.refresh_from_db()
        assert application.state == State.PRODUCING
        event = application.events.last()
        assert (event.action, event.data) == ("send_to_production", {"batch": batch.code})
    assert BatchItem.objects.filter(batch=batch, result=ItemResult.PENDING).count() == 2


def test_nothing_approved_prints_count_0_and_writes_no_file(db, tmp_path):
    output = run_command("export-batch", "--out", str(tmp_path))
    assert output == {"batch": None, "count": 0, "file": None}
    assert list(tmp_path.iterdir()) == [] and not Batch.objects.exists()


def test_exported_applications_are_not_exported_again_and_limit_caps_the_batch(approved, tmp_path):
    apps = [approved() for _ in range(3)]
    first = run_command("export-batch", "--out", str(tmp_path), "--limit", "2")
    assert first["count"] == 2
    second = run_command("export-batch", "--out", str(tmp_path))
    assert second["count"] == 1 and second["batch"] != first["batch"]
    rows, _, _ = read_zip(second["file"])
    assert [r["application_number"] for r in rows] == [apps[2].acceptance_number]
    assert run_command("export-batch", "--out", str(tmp_path))["count"] == 0


def test_a_failed_card_is_sent_again_by_the_next_export(approved, tmp_path):
    application = approved()
    run_command("export-batch", "--out", str(tmp_path))
    results = tmp_path / "results.csv"
    results.write_bytes(result_csv([failed_row(application, "data_error")]))
    assert run_command("import-results", str(results))["applied"] == 1
    output = run_command("export-batch", "--out", str(tmp_path))
    assert output["count"] == 1
    application.refresh_from_db()
    assert application.state == State.PRODUCING and application.events.last().action == "retry_production"
    # The citizen was told 制卡中 once; the bureau's retry is not news to them.
    notices = [n.template_code for n in notifications_dao.for_reference("application", application.pk)]
    assert notices.count("card_in_production") == 1


def test_a_portrait_that_makes_no_card_photo_goes_back_to_the_citizen(approved, tmp_path):
    good, bad = approved(), approved(portrait=faceless_jpeg())
    output = run_command("export-batch", "--out", str(tmp_path))
    assert output["count"] == 1
    rows, _, _ = read_zip(output["file"])
    assert [r["application_number"] for r in rows] == [good.acceptance_number]
    bad.refresh_from_db()
    assert bad.state == State.RETURNED
    returned = ApplicationEvent.objects.filter(application=bad, action="return_after_failure").get()
    assert returned.data["parts"] == ["portrait"]
    (reason,) = returned.data["return_reasons"]
    assert reason["part"] == "portrait" and "证件照" in reason["citizen_text"] and reason["fix_tip"]


def test_only_a_photo_failure_left_means_no_batch(approved, tmp_path):
    approved(portrait=faceless_jpeg())
    assert run_command("export-batch", "--out", str(tmp_path))["count"] == 0
    assert list(tmp_path.iterdir()) == []


def test_limit_must_be_positive(db, tmp_path):
    with pytest.raises(CommandError):
        run_command("export-batch", "--out", str(tmp_path), "--limit", "0")
