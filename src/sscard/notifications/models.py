"""The SMS outbox: a row per message, written in the transaction that causes it; templates; receipts."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from sscard.identity import mask_phone
from sscard.notifications import text
from sscard.notifications.constants import (
    TEMPLATE_CHOICES,
    TEMPLATE_SPECS,
    FailureKind,
    NotificationState,
    ReceiptOutcome,
)
from sscard.privacy.fields import EncryptedTextField


class SmsTemplate(models.Model):
    """The text of one notice, edited by an administrator. Variables are checked against the catalogue."""

    code = models.CharField("模板", max_length=50, choices=TEMPLATE_CHOICES, unique=True)
    body = models.TextField("短信内容", help_text="不含签名；签名【中山人社】发送时自动加在开头。变量写作 {变量名}。")
    urgent = models.BooleanField("紧急", default=True, help_text="紧急短信不受夜间免打扰时段限制。")
    tencent_template_id = models.CharField("腾讯云模板ID", max_length=40, blank=True)
    aliyun_template_code = models.CharField("阿里云模板CODE", max_length=40, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "短信模板"
        verbose_name_plural = "短信模板"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()

    def clean(self) -> None:
        spec = TEMPLATE_SPECS.get(self.code)
        if spec is None:
            raise ValidationError({"code": "未知的模板"})
        try:
            unknown = text.unknown_variables(self.body, spec.variables)
        except ValueError as exc:
            raise ValidationError({"body": str(exc)}) from exc
        if unknown:
            allowed = "、".join("{" + name + "}" for name in sorted(spec.variables))
            raise ValidationError(
                {"body": f"模板使用了未知变量：{'、'.join('{' + n + '}' for n in unknown)}。可用变量：{allowed}"}
            )
        if "【" in self.body or "】" in self.body:
            raise ValidationError({"body": "请不要在内容里写签名【…】，发送时会自动加上。"})

    def save(self, *args, **kwargs):
        # Saved from code (not only from the admin form): an unknown variable must never reach a citizen.
        self.clean()
        super().save(*args, **kwargs)


class Notification(models.Model):
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template_code = models.CharField("模板", max_length=50, choices=TEMPLATE_CHOICES)
    phone = EncryptedTextField("手机号")
    phone_digest = models.CharField(max_length=64, editable=False, db_index=False)
    # Display-safe variables: secrets (the sign-in code) are masked here and kept only in secret_context.
    context = models.JSONField("模板变量", default=dict)
    secret_context = EncryptedTextField(blank=True, default="", editable=False)
    body = EncryptedTextField("短信内容")
    display_body = models.TextField("短信内容（脱敏）")
    urgent = models.BooleanField("紧急", default=True)
    state = models.CharField("状态", max_length=20, choices=NotificationState.choices, default=NotificationState.QUEUED)
    failure_kind = models.CharField("失败类型", max_length=20, choices=FailureKind.choices, blank=True)
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    provider = models.CharField("服务商", max_length=20, blank=True)
    provider_message_id = models.CharField("服务商消息ID", max_length=100, blank=True)
    # Set (and committed) just before a provider call, cleared when its outcome is known: a row left with it set
    # means the outcome is unknown (worker died, timeout) and the next attempt must ask that provider first.
    pending_provider = models.CharField(max_length=20, blank=True, editable=False)
    # When that provider was (about to be) called: a lookup that cannot yet see a message sent this recently
    # does not prove it was not sent (SmsProvider.lookup_lag).
    pending_since = models.DateTimeField(null=True, blank=True, editable=False)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # What the message is about, as its sender names it ("application", "card" and its primary key; empty for a
    # sign-in code). A reference, not a foreign key: the service knows nothing of its callers (GOV.UK Notify).
    reference_kind = models.CharField("关联对象类型", max_length=30, blank=True, default="")
    reference_id = models.CharField("关联对象编号", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        indexes = [
            # The worker/sweeper hot path: due rows by state.
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["state", "claimed_at"]),
            # Per-phone daily cap.
            models.Index(fields=["phone_digest", "created_at"]),
            # Receipts look messages up by the provider's id.
            models.Index(fields=["provider", "provider_message_id"]),
            # The messages about one application or card (dao.for_reference).
            models.Index(fields=["reference_kind", "reference_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_code_display()} → {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class DailyQuota(models.Model):
    """How much of a daily allowance a subject (``sms:<phone digest>``, ``otp:<phone digest>``) has used.

    Taken with one atomic statement (``dao.take_quota``), so two requests at the same moment cannot
    both take the last one, as counting rows and then inserting could."""

    subject = models.CharField(max_length=100)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "每日配额"
        verbose_name_plural = "每日配额"
        constraints = [models.UniqueConstraint(fields=["subject", "day"], name="uniq_daily_quota_subject_day")]


class DeliveryReceipt(models.Model):
    """Every receipt a provider posted, kept whether or not it matched: the evidence for a disputed SMS."""

    provider = models.CharField("服务商", max_length=20)
    provider_message_id = models.CharField("服务商消息ID", max_length=100)
    idempotency_key = models.CharField(max_length=64, blank=True)
    delivered = models.BooleanField("送达")
    error_code = models.CharField("错误码", max_length=100, blank=True)
    reported_at = models.DateTimeField("运营商报告时间", null=True, blank=True)
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, related_name="receipts", on_delete=models.SET_NULL
    )
    outcome = models.CharField("处理结果", max_length=20, choices=ReceiptOutcome.choices)

    class Meta:
        verbose_name = "送达回执"
        verbose_name_plural = "送达回执"
        constraints = [
            # The same receipt posted twice is one receipt (providers retry their callbacks).
            models.UniqueConstraint(fields=["provider", "provider_message_id", "delivered"], name="one_receipt_per_status")
        ]
        indexes = [models.Index(fields=["outcome", "received_at"])]


class ConsoleMessage(models.Model):
    """The console provider's inbox (demo mode, /dev/sms): what a phone would have received."""

    idempotency_key = models.UUIDField(unique=True)
    message_id = models.CharField(max_length=40, unique=True)
    phone = EncryptedTextField()
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "演示短信收件箱"
        verbose_name_plural = "演示短信收件箱"
