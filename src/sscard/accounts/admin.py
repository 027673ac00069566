from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sscard.accounts.models import Citizen, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "branch", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("岗位", {"fields": ("role", "branch")}))


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ("masked_phone", "person", "created_at")
    fields = ("masked_phone", "person", "elder_mode", "created_at")
    readonly_fields = ("masked_phone", "person", "created_at")
