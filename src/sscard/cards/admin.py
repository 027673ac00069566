from django.contrib import admin

from sscard.cards.models import Card, CardEvent
from sscard.common.admin import EventInline


class CardEventInline(EventInline):
    model = CardEvent


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "generation", "handed_over_at", "activated_at")
    list_filter = ("state", "generation")
    fields = ("__str__", "state", "generation", "handed_over_at", "activated_at")
    readonly_fields = fields
    inlines = [CardEventInline]

    def has_add_permission(self, request):
        return False
