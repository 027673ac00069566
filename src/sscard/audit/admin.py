from django.contrib import admin

from sscard.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is searched here or at /staff/audit/, never edited."""

    list_display = ("at", "username", "role", "action_name", "obj_kind", "obj_id", "acceptance_number", "ip")
    list_filter = ("action", "role")
    search_fields = ("username", "acceptance_number", "obj_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj):
        return obj.action_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
