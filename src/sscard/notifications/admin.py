from django.contrib import admin

from sscard.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template_code", "masked_phone", "state")
    list_filter = ("state", "template_code")
    fields = ("template_code", "masked_phone", "body", "state", "created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
