from django.contrib import admin

from sscard.scheduling.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Read-only: the runs are a log written by the scheduler."""

    list_display = ["job", "slot_key", "started_at", "finished_at", "status", "runner"]
    list_filter = ["job"]
    search_fields = ["job", "slot_key"]
    date_hierarchy = "started_at"

    @admin.display(description="结果")
    def status(self, obj):
        return {"failed": "失败", "ok": "完成", "running": "运行中"}[obj.status]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
