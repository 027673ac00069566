from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from sscard import audit
from sscard.staff.models import BackgroundTask, LoginLock, SecondFactorDevice

admin.site.unregister(TOTPDevice)  # shown below in Chinese, without the secret
admin.site.unregister(DBTaskResult)  # shown below in Chinese


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    """Failed sign-ins per username and address. Delete a row to lift its lock at once."""

    list_display = ("username_shown", "ip_shown", "failures", "last_failure", "locked")
    search_fields = ("username", "ip_address")
    fields = ("username_shown", "ip_shown", "failures", "last_failure", "locked")
    readonly_fields = fields

    @admin.display(description="用户名", ordering="username")
    def username_shown(self, obj):
        return obj.username

    @admin.display(description="IP 地址", ordering="ip_address")
    def ip_shown(self, obj):
        return obj.ip_address

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次失败", ordering="attempt_time")
    def last_failure(self, obj):
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="锁定中", boolean=True)
    def locked(self, obj):
        return (obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
                and obj.attempt_time > timezone.now() - settings.AXES_COOLOFF_TIME)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit.record(request, "staff.unlock", obj_kind="user", obj_id=obj.username,
                     details={"ip": obj.ip_address})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request, "staff.unlock", obj_kind="user", obj_id=obj.username,
                         details={"ip": obj.ip_address})
        super().delete_queryset(request, queryset)


@admin.register(SecondFactorDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin):
    """Delete a device when a staff member has lost their phone: they enrol again at the next sign-in."""

    list_display = ("staff_member", "device_name", "is_confirmed", "last_used")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = list_display
    readonly_fields = list_display

    @admin.display(description="工作人员", ordering="user__username")
    def staff_member(self, obj):
        return obj.user.get_username()

    @admin.display(description="名称")
    def device_name(self, obj):
        return obj.name

    @admin.display(description="已启用", boolean=True)
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description="最近使用")
    def last_used(self, obj):
        return timezone.localtime(obj.last_used_at).strftime("%Y-%m-%d %H:%M") if obj.last_used_at else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit.record(request, "staff.otp_reset", obj_kind="user", obj_id=obj.user_id)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request, "staff.otp_reset", obj_kind="user", obj_id=obj.user_id)
        super().delete_queryset(request, queryset)


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(admin.ModelAdmin):
    list_display = ("task", "state", "enqueued", "finished", "queue")
    list_filter = ("status", "queue_name")
    ordering = ["-enqueued_at"]
    fields = ("task", "state", "enqueued", "finished", "queue", "error")
    readonly_fields = fields

    @admin.display(description="任务", ordering="task_path")
    def task(self, obj):
        return obj.task_path

    @admin.display(description="状态", ordering="status")
    def state(self, obj):
        return obj.status

    @admin.display(description="入队时间", ordering="enqueued_at")
    def enqueued(self, obj):
        return timezone.localtime(obj.enqueued_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="完成时间", ordering="finished_at")
    def finished(self, obj):
        return timezone.localtime(obj.finished_at).strftime("%Y-%m-%d %H:%M:%S") if obj.finished_at else "—"

    @admin.display(description="队列", ordering="queue_name")
    def queue(self, obj):
        return obj.queue_name

    @admin.display(description="错误")
    def error(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
