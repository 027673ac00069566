"""Staff users (password + role) and citizens (a phone number, bound to a real name)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from sscard.accounts.constants import Role
from sscard.accounts.roles import put_in_role_group
from sscard.identity import mask_phone
from sscard.privacy.fields import EncryptedTextField


class User(AbstractUser):
    """Back-office staff. Citizens are :class:`Citizen`, never Django users."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    branch = models.ForeignKey(
        "delivery.Branch", verbose_name="所属网点", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def clean(self):
        super().clean()
        if self.role == Role.CLERK and self.branch_id is None:
            raise ValidationError({"branch": "网点柜员必须绑定所属网点。"})

    def save(self, *args, **kwargs):
        if self.role:
            self.is_staff = True
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "role" in update_fields:
            put_in_role_group(self)  # the role's group carries the permissions: keep them in step

    @property
    def role_label(self) -> str:
        if self.role:
            return self.get_role_display()
        return "超级管理员" if self.is_superuser else "（未分配角色）"


class Citizen(models.Model):
    """A citizen's account: identified by phone, later bound to a person in the registry."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = EncryptedTextField("手机号", digest_field="phone_digest")
    phone_digest = models.CharField(max_length=64, unique=True, editable=False)
    person = models.ForeignKey(
        "registry.Person", verbose_name="实名", null=True, blank=True, on_delete=models.PROTECT
    )
    elder_mode = models.BooleanField("长辈模式", default=False)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "市民账号"
        verbose_name_plural = "市民账号"
        constraints = [
            # One person, one citizen account at a time: enforced where two phones binding at once cannot
            # race past it. Moving the binding needs the old phone (unbind) or a counter.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(person__isnull=False), name="one_account_per_person"
            ),
        ]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def __str__(self) -> str:
        return self.masked_phone


class LoginCode(models.Model):
    """A sign-in (or phone-change) code: only its keyed hash is kept."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, default="login")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_digest", "created_at"])]
