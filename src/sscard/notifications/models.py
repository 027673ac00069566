"""The SMS outbox: a row per message, written in the transaction that causes it."""

from __future__ import annotations

import uuid

from django.db import models

from sscard.identity import mask_phone
from sscard.privacy.fields import EncryptedTextField


class NotificationState(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"
    EXPIRED = "expired", "已过期"


class Notification(models.Model):
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template_code = models.CharField("模板", max_length=50)
    phone = EncryptedTextField("手机号")
    context = models.JSONField("模板变量", default=dict)
    body = models.TextField("短信内容")
    state = models.CharField("状态", max_length=20, choices=NotificationState.choices, default=NotificationState.QUEUED)
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, related_name="notifications", on_delete=models.PROTECT
    )
    card = models.ForeignKey("cards.Card", null=True, blank=True, related_name="notifications", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        indexes = [models.Index(fields=["state", "updated_at"])]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
