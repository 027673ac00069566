"""Stable codes of the review domain and the error a reviewer reads."""

from __future__ import annotations

from django.db import models

from sscard.common.errors import Refusal

# The actor written on events the machine causes.
AUTO_REVIEW_ACTOR = "system:auto-review"


class RuleCode(models.TextChoices):
    """Auto-review rules, in the order they are checked and shown. ``AUTO_APPROVAL`` is the master switch."""

    AUTO_APPROVAL = "auto_approval", "允许机器自动审核通过"
    REGISTRY_MATCH = "registry_match", "申领人信息与登记一致"
    ELIGIBILITY = "eligibility", "符合线上申领条件"
    IMAGES_PASSED = "images_passed", "照片全部通过检查"
    NO_RELATIONSHIP_PROOF = "no_relationship_proof", "无需人工核对关系证明"
    NO_LIVE_CARD = "no_live_card", "名下没有其他有效社保卡"
    NO_DUPLICATE_APPLICATION = "no_duplicate_application", "没有其他在办申领"
    ADDRESS_PRECISE = "address_precise", "地址精确到门牌"
    PICKUP_VALID = "pickup_valid", "领卡方式有效"
    NOT_RETURNED_BEFORE = "not_returned_before", "本次不是退回补正后的重新提交"


class FixPart(models.TextChoices):
    """Which part of the application the citizen must fix after a return."""

    PORTRAIT = "portrait", "证件照"
    ID_FRONT = "id_front", "身份证人像面"
    ID_BACK = "id_back", "身份证国徽面"
    ADDRESS = "address", "联系地址"
    RELATIONSHIP_PROOF = "relationship_proof", "关系证明"
    OTHER = "other", "其他"


class ReviewError(Refusal):
    """A refusal a reviewer must read (see ``Refusal``): ``code`` is stable, ``message`` is Chinese."""
