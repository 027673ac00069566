"""Drafts are not kept for ever: ID-card images and portraits of an application nobody submitted are
personal data with no purpose once the draft is abandoned.

A draft untouched for ``DRAFT_RETENTION_DAYS`` (its last saved step or upload) is withdrawn through the
lifecycle (an event row says why, so the citizen's list shows what happened) and its images are deleted.
Submitted applications are never touched here: their materials are part of the case record.
Run daily: ``sscard purge-drafts``.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application, Upload
from sscard.common.statemachine import TransitionNotAllowed

log = logging.getLogger("sscard.applications")

ACTOR = "system:retention"


def draft_expires_at(application: Application) -> datetime.datetime:
    """When this draft will be withdrawn if nothing more is saved."""
    return application.updated_at + datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)


def delete_upload(upload: Upload) -> None:
    """The row now; the file once the caller's transaction commits (a rollback keeps both)."""
    storage, name = upload.file.storage, upload.file.name
    upload.delete()
    if name:
        # robust: the rows are committed by then; a file that cannot be removed now is logged, not a 500 for
        # a person whose change has already been saved.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def discard_uploads(application: Application) -> int:
    """Delete all of the application's images; returns how many."""
    uploads = list(Upload.objects.filter(application=application))
    for upload in uploads:
        delete_upload(upload)
    return len(uploads)


def purge_stale_drafts(now: datetime.datetime | None = None, *, limit: int = 1000) -> dict[str, int]:
    """Withdraw drafts untouched past the retention period and delete their images; returns counts."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    days = settings.DRAFT_RETENTION_DAYS
    counts = {"withdrawn": 0, "images_deleted": 0, "skipped": 0}
    stale = Application.objects.filter(state=State.DRAFT, updated_at__lt=cutoff).order_by("updated_at")[:limit]
    for application in stale:
        try:
            with transaction.atomic():
                lifecycle.perform(
                    application, "cancel", actor=ACTOR, reason=f"草稿超过{days}天未提交，已自动撤销，上传的照片已删除"
                )
                counts["images_deleted"] += discard_uploads(application)
        except TransitionNotAllowed:
            # Submitted or withdrawn by the citizen since we read it: theirs wins.
            counts["skipped"] += 1
            continue
        counts["withdrawn"] += 1
        log.info("draft_withdrawn reason=retention application=%s", application.public_id)
    return counts
