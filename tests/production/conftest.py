"""Shared set-up for the production tests: approved applications with a real portrait (scikit-image's
astronaut, from which the card photo can be made), result files, and the command's JSON output."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image
from skimage import data as skimage_data

from sscard.applications.models import Application, Upload, UploadKind
from sscard.production.constants import RESULT_COLUMNS
from tests.factories import ApplicationFactory
from tests.helpers import delete_uploads


@pytest.fixture(scope="session")
def portrait_jpeg() -> bytes:
    """An accepted-portrait stand-in with a real face: the card-photo code finds, levels and crops it."""
    out = io.BytesIO()
    Image.fromarray(skimage_data.astronaut()).resize((1024, 1024)).save(out, "JPEG", quality=92)
    return out.getvalue()


def faceless_jpeg() -> bytes:
    """A picture from which no card photo can be made (no face at all)."""
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (240, 240, 240)).save(out, "JPEG", quality=90)
    return out.getvalue()


def attach_portrait(application: Application, data: bytes) -> Upload:
    """The portrait as the upload service stores it after it passed its check."""
    return Upload.objects.create(
        application=application, kind=UploadKind.PORTRAIT, file=ContentFile(data, name="portrait.jpg"), ok=True,
        sha256=hashlib.sha256(data).hexdigest(), original_size=len(data),
    )


@pytest.fixture
def exchange_dir(settings, tmp_path) -> Path:
    settings.PRODUCTION_EXCHANGE_DIR = str(tmp_path / "exchange")
    return tmp_path / "exchange"


@pytest.fixture
def approved(db, portrait_jpeg):
    """``approved(**factory_fields)``: an approved application with a stored portrait (files removed after)."""
    made: list[Application] = []

    def make(*, portrait: bytes | None = None, **fields) -> Application:
        application = ApplicationFactory(approved=True, **fields)
        attach_portrait(application, portrait or portrait_jpeg)
        made.append(application)
        return application

    yield make
    for application in made:
        delete_uploads(application)


def result_csv(rows: list[dict | list], header=RESULT_COLUMNS) -> bytes:
    """A result file: dict rows by column name (missing ones empty), list rows written as they are."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header] if isinstance(row, dict) else row)
    return out.getvalue().encode("utf-8")


def ok_row(application: Application, card_number: str = "A12345678", card_id: str = "0123456789ABCDEF" * 2,
           bank: str = "中国工商银行中山分行") -> dict:
    return {"application_number": application.acceptance_number, "result": "ok", "card_number": card_number,
            "card_id": card_id, "bank": bank}


def failed_row(application: Application, reason: str) -> dict:
    return {"application_number": application.acceptance_number, "result": "failed", "reason": reason}


def run_command(*args: str) -> dict:
    """``sscard production …`` as the shell runs it; the JSON it prints."""
    out = io.StringIO()
    call_command("production", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())
