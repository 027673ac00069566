from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count

from sscard.accounts.models import Citizen, User
from sscard.accounts.roles import put_in_role_group


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "branch", "is_active", "last_login")
    list_filter = ("role", "is_active", "branch__town")
    search_fields = ("username", "first_name", "last_name")
    readonly_fields = ("role_groups", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("last_name", "first_name", "email")}),
        ("岗位", {"fields": ("role", "branch", "role_groups"),
                  "description": "角色决定权限：保存后自动加入该角色的用户组。网点柜员必须绑定所属网点。"}),
        ("账号状态", {"fields": ("is_active", "is_superuser", "user_permissions")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "branch")}),
    )

    @admin.display(description="姓名")
    def full_name(self, obj):
        return f"{obj.last_name}{obj.first_name}"

    @admin.display(description="用户组")
    def role_groups(self, obj):
        return "、".join(obj.groups.values_list("name", flat=True)) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        put_in_role_group(form.instance)  # the form's many-to-many save must not undo the role's group


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """Role groups are rebuilt from ROLE_PERMISSIONS on every migrate; edits here are for extra groups."""

    list_display = ("name", "member_count")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("user"))

    @admin.display(description="人数", ordering="members")
    def member_count(self, obj):
        return obj.members


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ("phone_masked", "person", "created_at")
    list_select_related = ("person",)
    fields = ("phone_masked", "person", "elder_mode", "created_at")
    readonly_fields = ("phone_masked", "person", "created_at")

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return obj.masked_phone
