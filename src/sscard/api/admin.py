from django.contrib import admin, messages

from sscard.api.models import ChannelPartner, new_secret


@admin.register(ChannelPartner)
class ChannelPartnerAdmin(admin.ModelAdmin):
    """The secret is generated here and shown once, in the message after saving; never again."""

    list_display = ("app_id", "name", "channel", "active", "rate_limit_per_minute", "created_at")
    list_filter = ("channel", "active")
    search_fields = ("app_id", "name")
    fields = ("app_id", "name", "channel", "active", "rate_limit_per_minute")
    actions = ["reset_secret"]

    def get_readonly_fields(self, request, obj=None):
        return ("app_id",) if obj else ()

    def save_model(self, request, obj, form, change):
        fresh = None
        if not change:
            fresh = obj.secret = new_secret()
        super().save_model(request, obj, form, change)
        if fresh:
            self.message_user(
                request, f"{obj.app_id} 的签名密钥（只显示这一次，请立即交给合作方）：{fresh}", messages.WARNING
            )

    @admin.action(description="重新生成签名密钥（旧密钥立即失效）")
    def reset_secret(self, request, queryset):
        for partner in queryset:
            fresh = new_secret()
            partner.secret = fresh
            partner.save(update_fields=["secret"])
            self.message_user(request, f"{partner.app_id} 的新签名密钥（只显示这一次）：{fresh}", messages.WARNING)
