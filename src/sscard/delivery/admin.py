from django.contrib import admin

from sscard.delivery.models import Branch


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "town", "opening_hours", "handles_permits", "active")
    list_filter = ("town", "kind", "handles_permits", "active")
    search_fields = ("name", "address")
