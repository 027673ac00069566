"""Channel partners: the back-ends (粤省事, the official account) allowed to call the API."""

from __future__ import annotations

import secrets

from django.core.validators import RegexValidator
from django.db import models

from sscard.applications.constants import Channel
from sscard.privacy.fields import EncryptedTextField

PARTNER_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.COUNTER]

app_id_validator = RegexValidator(r"^[A-Za-z0-9_.-]{1,64}$", "只能包含字母、数字、点、下划线和连字符，最多64位")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_app_id() -> str:
    return f"ss{secrets.token_hex(8)}"


class ChannelPartner(models.Model):
    app_id = models.CharField("应用编号（App ID）", max_length=64, unique=True, validators=[app_id_validator])
    name = models.CharField("名称", max_length=100)
    channel = models.CharField("渠道", max_length=20, choices=PARTNER_CHANNELS)
    # Encrypted at rest like personal data; shown once when made (admin or create_channel_partner).
    secret = EncryptedTextField("签名密钥")
    active = models.BooleanField("启用", default=True)
    rate_limit_per_minute = models.PositiveIntegerField("每分钟请求上限", default=600)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "渠道合作方"
        verbose_name_plural = "渠道合作方"

    def __str__(self) -> str:
        return f"{self.name} ({self.app_id})"
