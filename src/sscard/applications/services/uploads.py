"""The photos and documents of an application: checked at once, stored as a clean copy.

An upload is decoded once: the stored copy (orientation applied, EXIF and any hidden payload
dropped, a JPEG named by UUID) and the photo check's analysis copy both come from that one decode.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from sscard.applications import queries, retention
from sscard.applications.constants import MAX_UPLOAD_BYTES, Relationship, State
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.services import correction
from sscard.applications.services.errors import JourneyError

log = logging.getLogger("sscard.applications")

# The stored copy's long side: enough for a reviewer to read an ID card and for the card photo.
STORED_MAX_SIDE = 2400
ID_CARD_SIDES = {UploadKind.ID_FRONT: "front", UploadKind.ID_BACK: "back"}
CHECK_UNAVAILABLE = {"code": "check_unavailable", "message": "暂时无法检查这张照片",
                     "tip": "请稍后再上传一次；仍不行请拨打12333"}
NOT_APPLICANTS_NUMBER = {"code": "id_card_not_applicant",
                         "message": "照片上的身份证号码与申领人不一致，请确认上传的是申领人本人的身份证",
                         "tip": "代办时请上传被代办人（申领人）的身份证，不要上传代办人自己的"}
NOT_APPLICANTS_NAME = {"code": "id_card_name_differs",
                       "message": "照片上的身份证姓名与申领人不一致，请确认上传的是申领人本人的身份证",
                       "tip": "代办时请上传被代办人（申领人）的身份证，不要上传代办人自己的"}
PREVIOUS_KEPT = {"code": "previous_kept", "message": "这张照片未通过检查，原来的照片保持不变",
                 "tip": "审核开始前只有通过检查的照片才会替换原来的照片"}
STORAGE_UNAVAILABLE = {"code": "storage_unavailable",
                       "message": "照片暂时无法保存，请稍后再试；您已填写的内容不会丢失。",
                       "tip": "原来上传的照片保持不变；请过几分钟再上传，仍不行请拨打12333。"}


class StorageUnavailable(Exception):
    """The file store refused to keep the new photo (a full disk, a lost mount, the object store away).

    Not the person's fault and not a refusal of what they sent: callers answer 503 with ``problem``.
    Nothing was changed: the earlier photo and the draft are as they were.
    """

    problem = STORAGE_UNAVAILABLE


@dataclass
class UploadResult:
    upload: Upload | None
    ok: bool
    problems: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # accepted, but the citizen should look again


def required_uploads(application: Application) -> list[str]:
    kinds = [UploadKind.ID_FRONT, UploadKind.ID_BACK, UploadKind.PORTRAIT]
    if application.relationship != Relationship.SELF:
        kinds.append(UploadKind.RELATIONSHIP_PROOF)
    return kinds


def too_large() -> dict:
    """The problem shown for a file over ``MAX_UPLOAD_BYTES`` (also when refused before it is read)."""
    return _problem("file_too_large")


def attach_upload(application: Application, kind: str, data: bytes, *, actor: str | None = None) -> UploadResult:
    """Check the photo at once, store a re-encoded copy, replace any earlier one of the kind.

    On an application waiting for review (a correction, see ``correction``) only a photo that passes its
    check replaces the one the reviewer would see, and the replacement is recorded.
    """
    if kind not in UploadKind.values:
        raise JourneyError("invalid_kind", "材料类型无效")
    correction.ensure_may_change(application, kind)
    if len(data) > MAX_UPLOAD_BYTES:
        return UploadResult(None, False, [too_large()])
    # OpenCV and numpy take ~0.4 s to import: only a process that takes uploads pays for them.
    from sscard import photos
    from sscard.photos import decode

    try:
        picture = decode.decode(data, min_side=STORED_MAX_SIDE, max_side=STORED_MAX_SIDE)
    except decode.DecodeError as exc:
        return UploadResult(None, False, [_problem(exc.code)])
    try:
        if kind == UploadKind.PORTRAIT:
            report = photos.check_portrait(data, decoded=picture)
        elif kind in ID_CARD_SIDES:
            report = photos.check_id_card(data, ID_CARD_SIDES[kind], decoded=picture)
        else:
            report = None  # relationship proofs (户口本 pages) are read by a reviewer, not by a machine
    except Exception:
        # The checks promise never to raise; if one does, the citizen gets a retry message, not a 500.
        log.exception("photo_check_crashed kind=%s", kind)
        return UploadResult(None, False, [CHECK_UNAVAILABLE])
    problems = [p.to_dict() for p in report.problems] if report else []
    if problems and application.state == State.SUBMITTED:
        return UploadResult(None, False, [*problems, PREVIOUS_KEPT])
    reading = report.reading.to_dict() if report is not None and report.reading is not None else None
    warnings = reading_warnings(application, reading) if kind == UploadKind.ID_FRONT else []
    upload = _replace(application, kind, data, _jpeg(picture.rgb), problems, report.metrics if report else {}, actor,
                      reading=reading, warnings=warnings)
    log.info("upload_checked kind=%s ok=%s codes=%s warnings=%s", kind, upload.ok,
             ",".join(p["code"] for p in problems), ",".join(w["code"] for w in warnings))
    return UploadResult(upload, upload.ok, problems, warnings)


def reading_warnings(application: Application, reading: dict | None) -> list[dict]:
    """Whether the ID card read is the applicant's: by number when it was read (a number that passed its
    check digit is sure), else by name. A family application with the wrong person's card is accepted,
    with a warning the citizen sees and the reviewer weighs. Nothing read, nothing said."""
    if not reading:
        return []
    number = reading.get("id_number")
    if number:
        return [] if number.upper() == (application.id_number or "").upper() else [NOT_APPLICANTS_NUMBER]
    name = reading.get("name")
    if name and name != application.name:
        return [NOT_APPLICANTS_NAME]
    return []


def _replace(
    application: Application, kind: str, data: bytes, stored: bytes, problems: list, metrics: dict, actor: str | None,
    *, reading: dict | None = None, warnings: list | None = None,
) -> Upload:
    """Write the new file first, then swap the rows in one transaction; the earlier file goes only once that
    commits (``retention.delete_upload``). A store that fails leaves everything as it was; a database part
    that fails takes the new file with it, so no orphan stays in media."""
    upload = Upload(
        application=application, kind=kind, ok=not problems, problems=problems, metrics=metrics,
        reading=json.dumps(reading, ensure_ascii=False) if reading else "", warnings=warnings or [],
        sha256=hashlib.sha256(data).hexdigest(), original_size=len(data),
    )
    _store(upload, stored)
    committed: list[bool] = []
    try:
        with transaction.atomic():
            # Registered before any other hook of this transaction, so it runs first once the commit is
            # done: a later hook that raises must not make us delete a photo that is already saved.
            transaction.on_commit(lambda: committed.append(True))
            with correction.recording(application, kind, actor=actor):
                previous = queries.upload_of(application, kind)
                if previous:
                    retention.delete_upload(previous)
                upload.save()
                # An upload is activity on the draft: it restarts the retention period (retention.py).
                application.updated_at = timezone.now()
                Application.objects.filter(pk=application.pk).update(updated_at=application.updated_at)
    except BaseException:
        if not committed:
            _discard(upload)
        raise
    return upload


def _store(upload: Upload, stored: bytes) -> None:
    """Save the file under its UUID name, outside any transaction and before the earlier one is touched."""
    try:
        upload.file.save("upload.jpg", ContentFile(stored), save=False)
    # Any exception: the backend is chosen by setting (the filesystem raises OSError, S3 its client's errors)
    # and Django gives them no common base class; this call does nothing but write the file.
    except Exception as exc:
        log.exception("upload_store_failed kind=%s type=%s", upload.kind, type(exc).__name__)
        raise StorageUnavailable from exc


def _discard(upload: Upload) -> None:
    """Remove the new file of a replacement that did not commit; a failure here is logged, never raised over
    the error that got us here."""
    try:
        upload.file.storage.delete(upload.file.name)
    except Exception:
        log.exception("upload_orphan_not_deleted kind=%s", upload.kind)


def _jpeg(rgb) -> bytes:
    """The stored copy: only the pixels (already turned upright), so no EXIF or hidden payload survives."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def _problem(code: str) -> dict:
    # The photos package pulls in OpenCV (see attach_upload); its wording is wanted for refusals only.
    from sscard.photos.report import Problem

    return Problem.of(code).to_dict()
