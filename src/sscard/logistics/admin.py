from django.contrib import admin

from sscard.common.admin import ReadOnlyAdmin
from sscard.logistics.models import LogisticsEvent


@admin.register(LogisticsEvent)
class LogisticsEventAdmin(ReadOnlyAdmin):
    """Read-only: events come from the bank's and the courier's files, the webhook and the daily job."""

    list_display = ["card", "event", "at", "waybill", "branch", "source", "created_at"]
    list_filter = ["event", "source"]
    search_fields = ["waybill", "card__card_number"]
    date_hierarchy = "at"
    raw_id_fields = ["card", "application", "branch"]

