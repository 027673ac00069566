from django.contrib import admin

from sscard.applications.models import Application, ApplicationEvent, PickupChange, PickupChangeState
from sscard.applications.services.pickup_changes import decide_pickup_change
from sscard.common.admin import EventInline
from sscard.identity import mask_name


class ApplicationEventInline(EventInline):
    model = ApplicationEvent


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: every change of state goes through the lifecycle (workbench screens)."""

    list_display = ("acceptance_number", "masked_name", "state", "channel", "town", "pickup_method", "created_at")
    list_filter = ("state", "channel", "town", "pickup_method")
    search_fields = ("acceptance_number",)
    fields = ("acceptance_number", "state", "channel", "masked_name", "masked_id", "masked_phone",
              "relationship", "town", "address_detail", "pickup_method", "branch", "decision_due")
    readonly_fields = fields
    inlines = [ApplicationEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="姓名")
    def masked_name(self, obj):
        return mask_name(obj.name)


@admin.register(PickupChange)
class PickupChangeAdmin(admin.ModelAdmin):
    """Pickup changes are decided within 1 working day (due date shown); the decision sends the SMS."""

    list_display = ("application", "state", "due", "created_at", "decided_by")
    list_filter = ("state",)
    fields = ("application", "previous", "requested", "state", "due", "decided_by", "decided_at", "reason")
    readonly_fields = fields
    actions = ["accept", "refuse"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, accept):
        done = 0
        for change in queryset.filter(state=PickupChangeState.PENDING):
            decide_pickup_change(change, accept=accept, actor=f"staff:{request.user.username}",
                                 reason="" if accept else "经审核不予修改，请拨打12333咨询")
            done += 1
        self.message_user(request, f"已处理 {done} 条")

    @admin.action(description="同意所选修改")
    def accept(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description="不同意所选修改")
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)
