"""The people the bureau knows, imported from the source systems (户籍, insurance, schools)."""

from __future__ import annotations

from django.db import models

from sscard.identity import mask_id_number, mask_name
from sscard.privacy.fields import EncryptedTextField
from sscard.registry.constants import ZHONGSHAN_REGION, CardStatus, Insurance, Sex


class Person(models.Model):
    id_number = EncryptedTextField("证件号码", digest_field="id_digest")
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_type = models.CharField("证件类型", max_length=30, default="resident")
    name = models.CharField("姓名", max_length=60)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    hukou_region = models.CharField("户籍地区代码", max_length=6, blank=True)
    insurance = models.CharField("在中山参保", max_length=20, choices=Insurance.choices, default=Insurance.NONE)
    school = models.CharField("在读学校", max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"

    @property
    def has_local_hukou(self) -> bool:
        return self.hukou_region == ZHONGSHAN_REGION

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    def __str__(self) -> str:
        return f"{mask_name(self.name)} {self.masked_id}"


class ExistingCard(models.Model):
    """Cards the person already holds according to the card system (2nd or 3rd generation)."""

    person = models.ForeignKey(Person, related_name="existing_cards", on_delete=models.CASCADE)
    generation = models.PositiveSmallIntegerField("代际", choices=[(2, "第二代"), (3, "第三代")])
    status = models.CharField("状态", max_length=10, choices=CardStatus.choices, default=CardStatus.NORMAL)

    class Meta:
        verbose_name = "已有社保卡"
        verbose_name_plural = "已有社保卡"
