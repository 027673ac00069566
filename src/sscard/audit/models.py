"""AuditEntry: one row per staff view of personal data or staff action; rows are never changed or removed.

Append-only at three levels: the model and its queryset refuse updates and deletes, the admin is
read-only, and on PostgreSQL a trigger rejects UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sscard.accounts.constants import Role
from sscard.audit.actions import label_of


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def _raw_delete(self, using):
        raise AppendOnlyError("审计记录只能追加，不能删除。")


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="工作人员", null=True, blank=True,
        # A staff member with a trail is deactivated, never deleted: the rows must keep pointing at them.
        on_delete=models.PROTECT, related_name="+",
    )
    username = models.CharField("用户名", max_length=150)
    role = models.CharField("角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=64)
    obj_kind = models.CharField("对象类型", max_length=40, blank=True)
    obj_id = models.CharField("对象编号", max_length=64, blank=True)
    acceptance_number = models.CharField("受理编号", max_length=24, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        default_permissions = ()
        permissions = [("view_auditentry", "查看审计记录")]
        indexes = [
            models.Index(fields=["user", "at"], name="audit_user_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            models.Index(fields=["acceptance_number", "at"], name="audit_acceptance_at"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    @property
    def role_label(self) -> str:
        if self.role == "superuser":
            return "超级管理员"
        return Role(self.role).label if self.role in Role.values else self.role

    @property
    def action_label(self) -> str:
        return label_of(self.action)

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.at:%Y-%m-%d %H:%M}"
