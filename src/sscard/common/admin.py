"""Admin pieces shared by the domains' admin modules."""

from __future__ import annotations

from django.contrib import admin


class EventInline(admin.TabularInline):
    """An append-only history (``common.transitions.EventFields``) shown read-only beside its record.

    Subclass with ``model = <the event model>``; rows are never added, edited or deleted here.
    """

    fields = ("created_at", "action", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only code writes (the machine's findings, batches, logs): administrators look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
