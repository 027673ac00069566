"""Exporting a production batch: approved (and 制卡失败) applications → 制卡中, one zip for the card maker.

    export_batch(out_dir, limit=None, actor="system") -> Exported(batch, count, file)

The zip (docs/production.md) holds ``manifest.csv`` and ``photos/<application_number>.jpg``, the card photo made
from the accepted portrait by ``sscard.photos.make_card_photo`` to the national spec (358×441, 14–40 KB).
Photos are made first, outside any transaction (the slow part); then one transaction moves the applications
with a guarded transition each (an application the citizen withdrew meanwhile, or another export took, is
skipped), records the batch and writes the file — a failure anywhere leaves neither batch nor file.

An accepted portrait from which no card photo can be made (it fails the card-photo spec) is not exported:
the application goes back to the citizen for a new photo, with the portrait reason and tip.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application, UploadKind
from sscard.applications.queries import upload_of
from sscard.common import counters
from sscard.common.statemachine import TransitionNotAllowed
from sscard.identity.idnumber import check_id_number
from sscard.photos import CardPhotoError, make_card_photo
from sscard.production.constants import MANIFEST_COLUMNS, ItemResult
from sscard.production.files import write_atomically
from sscard.production.models import Batch, BatchItem, BatchSequence
from sscard.production.services.failures import return_for_new_photo

log = logging.getLogger("sscard.production")

# What goes to production: approved, and the retries of 制卡失败 (not waiting for a result already).
EXPORTABLE = (State.APPROVED, State.PRODUCTION_FAILED)
ACTION_FOR = {State.APPROVED: "send_to_production", State.PRODUCTION_FAILED: "retry_production"}


@dataclass(frozen=True)
class Exported:
    batch: str | None
    count: int
    file: str | None
    returned: tuple[str, ...] = ()  # acceptance numbers sent back to the citizen for a new photo

    def as_json(self) -> dict:
        return {"batch": self.batch, "count": self.count, "file": self.file}


@dataclass(frozen=True)
class _Entry:
    application: Application
    photo: bytes
    sha256: str


def candidates(limit: int | None = None):
    rows = (
        Application.objects.filter(state__in=EXPORTABLE)
        .exclude(production_items__result=ItemResult.PENDING)
        .select_related("person")
        .order_by("state_changed_at", "pk")
    )
    return rows[:limit] if limit else rows


def export_batch(out_dir: str | os.PathLike, *, limit: int | None = None, actor: str = "system") -> Exported:
    out = Path(out_dir)
    entries, returned = [], []
    for application in candidates(limit):
        photo, problem = _card_photo(application)
        if photo is None:
            try:
                return_for_new_photo(application, actor=actor, detail=problem)
                returned.append(application.acceptance_number)
            except TransitionNotAllowed:
                pass  # the citizen withdrew it meanwhile, or another export took it
            continue
        entries.append(_Entry(application, photo, hashlib.sha256(photo).hexdigest()))
    if not entries:
        return Exported(None, 0, None, tuple(returned))
    out.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    path = None
    try:
        with transaction.atomic():
            code = _next_code(timezone.localdate(now))
            batch = Batch.objects.create(code=code, created_at=now, created_by=actor, count=0, file_path="",
                                         sha256="")
            taken = [entry for entry in entries if _send(entry, batch, actor)]
            if not taken:
                transaction.set_rollback(True)
                return Exported(None, 0, None, tuple(returned))
            data = build_zip(taken)
            path = out / f"{code}.zip"
            batch.count, batch.file_path = len(taken), str(path.resolve())
            batch.sha256 = hashlib.sha256(data).hexdigest()
            batch.save(update_fields=["count", "file_path", "sha256"])
            write_atomically(path, data)  # last: a failure before the commit removes it again (below)
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    log.info("batch_exported batch=%s count=%s returned=%s", code, len(taken), len(returned))
    return Exported(code, len(taken), str(path.resolve()), tuple(returned))


def _send(entry: _Entry, batch: Batch, actor: str) -> bool:
    """Move one application to 制卡中 in ``batch``; False when it is no longer exportable."""
    action = ACTION_FOR.get(entry.application.state)
    if action is None:
        return False
    try:
        lifecycle.perform(entry.application, action, actor=actor, reason="送去制卡", data={"batch": batch.code})
    except TransitionNotAllowed:
        return False
    BatchItem.objects.create(batch=batch, application=entry.application, photo_sha256=entry.sha256)
    return True


def _next_code(day: datetime.date) -> str:
    return f"ZK{day:%Y%m%d}{counters.bump(BatchSequence, {'day': day}, 'last'):04d}"


def _card_photo(application: Application) -> tuple[bytes | None, str]:
    upload = upload_of(application, UploadKind.PORTRAIT)
    if upload is None or not upload.ok:
        return None, "没有通过检查的证件照"
    try:
        with upload.file.open("rb") as fh:
            portrait = fh.read()
    except OSError as exc:
        return None, f"证件照文件无法读取：{exc.__class__.__name__}"
    try:
        # The portrait passed its check on upload and a reviewer (or the machine) accepted it; here only
        # the card photo is made and measured against the spec.
        return make_card_photo(portrait, check=False), ""
    except CardPhotoError as exc:
        return None, exc.reason


def manifest_row(application: Application) -> list[str]:
    person = application.person
    if person is not None:
        sex, birth = person.sex, person.birth_date
    else:
        parsed = check_id_number(application.id_number)
        sex, birth = parsed.sex or "", parsed.birth_date
    number = application.acceptance_number
    return [number, application.name, application.id_number, sex, birth.isoformat() if birth else "",
            f"photos/{number}.jpg"]


def build_zip(entries) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for entry in entries:
        writer.writerow([*manifest_row(entry.application), entry.sha256])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", text.getvalue().encode("utf-8"))
        for entry in entries:
            # JPEG is compressed already: stored as it is, byte for byte what photo_sha256 names.
            archive.writestr(f"photos/{entry.application.acceptance_number}.jpg", entry.photo,
                             compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
