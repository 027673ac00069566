"""Applications for a card and their append-only history."""

from __future__ import annotations

import json
import uuid

from django.db import models
from django.db.models import Q

from sscard.addresses.towns import TOWN_CHOICES
from sscard.applications.constants import CITIZEN_LABELS, OPEN_STATES, Channel, Kind, Relationship, State
from sscard.common.transitions import EventFields
from sscard.delivery.constants import PickupMethod
from sscard.identity import mask_id_number, mask_phone
from sscard.privacy.fields import EncryptedTextField


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    acceptance_number = models.CharField("受理编号", max_length=24, unique=True, null=True, blank=True)
    state = models.CharField("状态", max_length=30, choices=State.choices, default=State.DRAFT, editable=False)
    state_changed_at = models.DateTimeField("状态变更时间", null=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    kind = models.CharField("申领类型", max_length=20, choices=Kind.choices, default=Kind.FIRST_ISSUE)
    # A replacement (补换卡) names the card it replaces; that card is voided when the new one is issued.
    replaces_card = models.ForeignKey(
        "cards.Card", verbose_name="补换的旧卡", null=True, blank=True, related_name="replacement_applications",
        on_delete=models.PROTECT,
    )

    # Who the card is for (the subject) and who filled it in (the account; none at a counter).
    person = models.ForeignKey("registry.Person", verbose_name="申领人", null=True, on_delete=models.PROTECT)
    name = models.CharField("姓名", max_length=60)
    id_number = EncryptedTextField("证件号码", digest_field="id_digest")
    id_digest = models.CharField(max_length=64, editable=False, db_index=True)
    account = models.ForeignKey(
        "accounts.Citizen", verbose_name="提交账号", null=True, blank=True, on_delete=models.PROTECT
    )
    relationship = models.CharField("代办关系", max_length=10, choices=Relationship.choices, default=Relationship.SELF)
    phone = EncryptedTextField("通知手机号", blank=True)

    town = models.CharField("镇街", max_length=20, choices=TOWN_CHOICES, blank=True)
    address_detail = models.CharField("详细地址", max_length=100, blank=True)
    pickup_method = models.CharField("领卡方式", max_length=10, choices=PickupMethod.choices, blank=True)
    branch = models.ForeignKey(
        "delivery.Branch", verbose_name="领卡网点", null=True, blank=True, on_delete=models.PROTECT
    )
    pickup_changes = models.PositiveSmallIntegerField("已修改领卡信息次数", default=0)

    form_data = models.JSONField("草稿内容", default=dict, blank=True)
    decision_due = models.DateField("预计审核完成日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申领"
        verbose_name_plural = "申领"
        constraints = [
            # One open application per person, enforced where it cannot be raced: the database.
            models.UniqueConstraint(
                fields=["id_digest"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="one_open_application_per_person",
            )
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    @property
    def citizen_label(self) -> str:
        return CITIZEN_LABELS[State(self.state)]

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def __str__(self) -> str:
        return self.acceptance_number or f"草稿 {self.public_id}"


class ApplicationEvent(EventFields):
    application = models.ForeignKey(Application, related_name="events", on_delete=models.PROTECT)

    class Meta(EventFields.Meta):
        verbose_name = "申领记录"
        verbose_name_plural = "申领记录"
        indexes = [
            # The dashboards count one kind of event in a period (submissions per day, decisions, returns):
            # bench/backoffice.py showed the created_at index alone reads every event of the period.
            models.Index(fields=["action", "created_at"], name="appevent_action_created"),
        ]


class DailySequence(models.Model):
    """Counter behind acceptance numbers: one row per day, incremented atomically."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


def _upload_path(instance: Upload, filename: str) -> str:
    # Named by UUID only: the original file name may carry a person's name.
    return f"uploads/{instance.application.public_id}/{uuid.uuid4().hex}.jpg"


class UploadKind(models.TextChoices):
    ID_FRONT = "id_front", "身份证人像面"
    ID_BACK = "id_back", "身份证国徽面"
    PORTRAIT = "portrait", "证件照"
    RELATIONSHIP_PROOF = "relationship_proof", "关系证明（户口本等）"


class Upload(models.Model):
    """One current image per kind per application; a replacement deletes the old file."""

    application = models.ForeignKey(Application, related_name="uploads", on_delete=models.CASCADE)
    kind = models.CharField("类型", max_length=30, choices=UploadKind.choices)
    file = models.FileField(upload_to=_upload_path)
    ok = models.BooleanField("检查通过", default=False)
    problems = models.JSONField("问题", default=list, blank=True)
    metrics = models.JSONField("检查数据", default=dict, blank=True)
    # ID cards: what OCR read off the card (photos.idcard_reading.CardReading.to_dict, JSON), encrypted: it
    # holds a name and an ID number. Empty when nothing was read or the engine is off.
    reading = EncryptedTextField("身份证识读结果", blank=True, default="")
    # Accepted, but the citizen is told (e.g. the card is not the applicant's): [{code, message, tip}].
    warnings = models.JSONField("提醒", default=list, blank=True)
    sha256 = models.CharField(max_length=64)
    original_size = models.PositiveIntegerField("原文件大小")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "上传材料"
        verbose_name_plural = "上传材料"
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_upload_per_kind")]

    @property
    def card_reading(self) -> dict:
        """The stored OCR reading as a dict ({} when there is none)."""
        return json.loads(self.reading) if self.reading else {}


class PickupChangeState(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已同意"
    REFUSED = "refused", "未同意"


class PickupChange(models.Model):
    """The one allowed change of pickup method/address between approval and dispatch."""

    application = models.ForeignKey(Application, verbose_name="申领", related_name="pickup_change_requests", on_delete=models.CASCADE)
    requested = models.JSONField("申请修改为")
    previous = models.JSONField("原领卡信息")
    state = models.CharField("状态", max_length=10, choices=PickupChangeState.choices, default=PickupChangeState.PENDING)
    due = models.DateField("审核期限")
    decided_by = models.CharField("审核人", max_length=80, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "领卡信息修改"
        verbose_name_plural = "领卡信息修改"
        constraints = [
            models.UniqueConstraint(fields=["application"], name="one_pickup_change_per_application")
        ]
