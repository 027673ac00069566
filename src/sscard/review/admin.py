from django.contrib import admin

from sscard.common.admin import ReadOnlyAdmin
from sscard.review.models import AutoReview, Claim, OverdueFlag, ReturnReason, ReviewRule


@admin.register(ReviewRule)
class ReviewRuleAdmin(admin.ModelAdmin):
    """Switching a rule off means the machine no longer checks it; ``auto_approval`` off sends all to people."""

    list_display = ("title", "code", "enabled", "order", "description")
    list_editable = ("enabled",)
    fields = ("code", "title", "description", "enabled", "order")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # each rule is code: a new row without code behind it would check nothing

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReturnReason)
class ReturnReasonAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "part", "active", "needs_note", "order")
    list_editable = ("active", "order")
    list_filter = ("part", "active")

    def has_delete_permission(self, request, obj=None):
        return False  # past return events name the code; switch a reason off instead


@admin.register(AutoReview)
class AutoReviewAdmin(ReadOnlyAdmin):
    list_display = ("application", "approved", "created_at")
    list_filter = ("approved",)
    search_fields = ("application__acceptance_number",)
    fields = ("application", "approved", "findings", "created_at")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("application", "reviewer", "claimed_at", "last_activity_at")
    search_fields = ("application__acceptance_number",)


@admin.register(OverdueFlag)
class OverdueFlagAdmin(ReadOnlyAdmin):
    list_display = ("application", "submitted_on", "overdue_since", "new_date", "flagged_at")
    search_fields = ("application__acceptance_number",)
