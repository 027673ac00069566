"""The card maker's file contracts (docs/production.md) and the production desk's codes."""

from __future__ import annotations

from django.db import models

# manifest.csv inside each batch zip, in this column order.
MANIFEST_COLUMNS = ("application_number", "name", "id_number", "sex", "birth_date", "photo_file", "photo_sha256")
# The card maker's result file.
RESULT_COLUMNS = ("application_number", "result", "card_number", "card_id", "bank", "reason")

RESULT_OK = "ok"
RESULT_FAILED = "failed"
# A failed row's reason: the photo cannot be used (the citizen takes a new one), or anything else (retried).
REASON_PHOTO_UNUSABLE = "photo_unusable"
REASON_DATA_ERROR = "data_error"

# How a failure reads in the history and on the operator's screen; other words are shown as they came.
FAILURE_LABELS = {
    REASON_PHOTO_UNUSABLE: "照片无法用于制卡",
    REASON_DATA_ERROR: "制卡数据有误",
}

# The return reason the citizen reads after the card maker (or our own card-photo step) could not use the
# portrait: stored on the event in the shape review.decisions.return_for_correction uses. Kept as a
# ReturnReason row (created on first use, editable in the admin like the reviewers' reasons).
PHOTO_RETURN_REASON = {
    "code": "card_photo_unusable",
    "title": "证件照无法用于制卡",
    "citizen_text": "制卡时发现您的证件照无法用于制作社保卡（如脸部不清晰、背景或光线不合要求）。",
    "fix_tip": "请在白墙前、光线均匀处正对镜头重新拍摄近期证件照（不要美颜，露出眉毛和耳朵），上传后重新提交。",
    "part": "portrait",
}


class ItemResult(models.TextChoices):
    PENDING = "pending", "制卡中"
    OK = "ok", "制卡成功"
    FAILED = "failed", "制卡失败"
