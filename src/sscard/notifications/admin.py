from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone

from sscard.common.forms import TextInputsForm
from sscard.notifications import text
from sscard.notifications.constants import SAMPLE_CONTEXT, TEMPLATE_SPECS, FailureKind, NotificationState
from sscard.notifications.models import DeliveryReceipt, Notification, SmsTemplate
from sscard.notifications.tasks import enqueue


def _length_note(body: str) -> str:
    sample = text.render(body, SAMPLE_CONTEXT, settings.SMS_SIGN_NAME)
    length = text.measure(sample)
    return f"按示例内容计：{length.characters} 字，{length.segments} 条短信（单条70字，超过后每条67字计费）"


class SmsTemplateForm(TextInputsForm, forms.ModelForm):
    class Meta:
        model = SmsTemplate
        fields = ["code", "body", "urgent", "tencent_template_id", "aliyun_template_code"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "cols": 80, "data-sms-sign": settings.SMS_SIGN_NAME})}


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    form = SmsTemplateForm
    list_display = ("code_label", "code", "urgent", "length", "updated_at")
    readonly_fields = ("variables_help", "length")

    class Media:  # the live length count while typing (a static file: the CSP allows no inline script)
        js = ("sscard/sms_template_counter.js",)

    @admin.display(description="模板名称")
    def code_label(self, obj):
        return obj.get_code_display()

    @admin.display(description="可用变量")
    def variables_help(self, obj):
        spec = TEMPLATE_SPECS.get(obj.code) if obj else None
        if spec is None:
            return "保存后显示"
        return "、".join("{" + name + "}" for name in sorted(spec.variables))

    @admin.display(description="长度")
    def length(self, obj):
        if not obj or not obj.body:
            return "—"
        return _length_note(obj.body)

    def get_readonly_fields(self, request, obj=None):
        # The code is the template's identity in the code base: chosen once.
        return (*self.readonly_fields, "code") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template_code", "masked_phone", "state", "failure_kind", "provider", "attempts")
    list_filter = ("state", "failure_kind", "provider", "template_code", "urgent", "reference_kind")
    search_fields = ("=reference_id",)  # with the reference_kind filter: the messages about one application or card
    date_hierarchy = "created_at"
    # Only masked values: the phone is shown as 138****5678 and sign-in codes as ******.
    fields = (
        "template_code", "masked_phone", "display_body", "state", "failure_kind", "last_error", "attempts",
        "provider", "provider_message_id", "idempotency_key", "urgent", "next_attempt_at", "expires_at",
        "sent_at", "finished_at", "reference_kind", "reference_id", "created_at", "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="手机号")
    def masked_phone(self, obj):
        return obj.masked_phone

    actions = ["requeue_failed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="重新发送选中的临时失败短信")
    def requeue_failed(self, request, queryset):
        rows = list(
            queryset.filter(state=NotificationState.FAILED, failure_kind=FailureKind.TEMPORARY).exclude(
                template_code="login_code"
            ).values_list("pk", flat=True)
        )
        # attempts back to 0 gives the message a fresh retry budget; pending_provider (if any) is kept so an
        # attempt whose outcome was unknown is still looked up before anything is sent again.
        Notification.objects.filter(pk__in=rows, state=NotificationState.FAILED).update(
            state=NotificationState.QUEUED, failure_kind="", attempts=0, next_attempt_at=timezone.now(),
            finished_at=None,
        )
        for pk in rows:
            enqueue(pk)
        self.message_user(request, f"已重新排队 {len(rows)} 条（验证码和永久失败的短信不会重发）", messages.INFO)


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "provider_message_id", "delivered", "error_code", "outcome")
    list_filter = ("provider", "outcome", "delivered")
    readonly_fields = [f.name for f in DeliveryReceipt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
