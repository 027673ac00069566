from django.contrib import admin

from sscard.cards.models import Card, CardEvent


class CardEventInline(admin.TabularInline):
    model = CardEvent
    fields = ("created_at", "action", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "generation", "handed_over_at", "activated_at")
    list_filter = ("state", "generation")
    fields = ("__str__", "state", "generation", "handed_over_at", "activated_at")
    readonly_fields = fields
    inlines = [CardEventInline]

    def has_add_permission(self, request):
        return False
