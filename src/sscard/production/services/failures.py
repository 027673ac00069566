"""What happens to an application whose card could not be made: back to the citizen for a new photo, or
制卡失败 to be retried in the next batch. Shared by the export (our own card-photo step) and the result import.
"""

from __future__ import annotations

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.production.constants import FAILURE_LABELS, PHOTO_RETURN_REASON, REASON_PHOTO_UNUSABLE
from sscard.review.models import ReturnReason


def failure_label(reason: str) -> str:
    return FAILURE_LABELS.get(reason, f"制卡失败（原因代码：{reason}）")


def photo_return_data(note: str = "") -> tuple[str, dict]:
    """The reason summary and event data of a return for a new photo, in the shape
    ``review.decisions.return_for_correction`` writes (the citizen's page reads both the same way)."""
    defaults = {k: v for k, v in PHOTO_RETURN_REASON.items() if k != "code"}
    reason, _ = ReturnReason.objects.get_or_create(
        code=PHOTO_RETURN_REASON["code"], defaults={**defaults, "active": True, "order": 90}
    )
    data = {"return_reasons": [reason.as_data()], "parts": [reason.part]}
    if note:
        data["note"] = note
    return reason.title, data


def record_failure(application: Application, reason: str, *, actor: str, data: dict) -> None:
    """A producing application's card failed: 制卡失败, and for an unusable photo on to the citizen (需补正)."""
    lifecycle.perform(application, "production_failed", actor=actor, reason=failure_label(reason),
                      data={**data, "failure": reason})
    if reason == REASON_PHOTO_UNUSABLE:
        summary, return_data = photo_return_data()
        lifecycle.perform(application, "return_after_failure", actor=actor, reason=summary, data=return_data)


def return_for_new_photo(application: Application, *, actor: str, detail: str) -> None:
    """Our own card-photo step could not make the production photo from the accepted portrait: the
    application goes back to the citizen for a new one (from 审核通过 through 制卡中 and 制卡失败, so the
    history shows where it stopped; from 制卡失败 directly)."""
    data = {"stage": "card_photo", "detail": detail[:300]}
    if application.state == State.APPROVED:
        lifecycle.perform(application, "send_to_production", actor=actor, reason="送去制卡", data=data)
    if application.state == State.PRODUCING:
        record_failure(application, REASON_PHOTO_UNUSABLE, actor=actor, data=data)
    elif application.state == State.PRODUCTION_FAILED:
        summary, return_data = photo_return_data()
        lifecycle.perform(application, "return_after_failure", actor=actor, reason=summary, data=return_data)
