from django.contrib import admin

from sscard.applications.models import Application, ApplicationEvent


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("created_at", "action", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: every change of state goes through the lifecycle (workbench screens)."""

    list_display = ("acceptance_number", "masked_name", "state", "channel", "town", "pickup_method", "created_at")
    list_filter = ("state", "channel", "town", "pickup_method")
    search_fields = ("acceptance_number",)
    fields = ("acceptance_number", "state", "channel", "masked_name", "masked_id", "masked_phone",
              "relationship", "town", "address_detail", "pickup_method", "branch", "decision_due")
    readonly_fields = fields
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="姓名")
    def masked_name(self, obj):
        from sscard.identity import mask_name

        return mask_name(obj.name)
