from axes.models import AccessAttempt
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from sscard.accounts.constants import WORK_PERMISSIONS


class StaffWork(models.Model):
    """Holds the back-office work permissions (``staff.review_application`` …): no table, no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = WORK_PERMISSIONS
        verbose_name = "后台工作权限"
        verbose_name_plural = "后台工作权限"


class LoginLock(AccessAttempt):
    """django-axes' failed-sign-in record, shown in Chinese; deleting one lifts the lock."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"


class SecondFactorDevice(TOTPDevice):
    """A staff member's TOTP authenticator; deleting it makes them enrol again at the next sign-in."""

    class Meta:
        proxy = True
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"


class BackgroundTask(DBTaskResult):
    """django-tasks-db's task rows, shown in Chinese (read-only)."""

    class Meta:
        proxy = True
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
