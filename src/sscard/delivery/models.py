from __future__ import annotations

from django.db import models

from sscard.addresses.towns import TOWN_CHOICES
from sscard.delivery.constants import BranchKind


class Branch(models.Model):
    """A counter where cards are handed over, activated and unlocked (bank or HR service hall)."""

    code = models.CharField("网点编号", max_length=20, unique=True)
    name = models.CharField("网点名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=BranchKind.choices)
    town = models.CharField("镇街", max_length=20, choices=TOWN_CHOICES, db_index=True)
    address = models.CharField("地址", max_length=200)
    opening_hours = models.CharField("营业时间", max_length=100)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    handles_permits = models.BooleanField(
        "可办理港澳台及外籍人员业务", default=False, help_text="港澳台居民居住证、外国人永久居留身份证"
    )
    active = models.BooleanField("营业中", default=True)

    class Meta:
        verbose_name = "网点"
        verbose_name_plural = "网点"
        ordering = ["town", "code"]

    def __str__(self) -> str:
        return self.name
