"""The Django admin, for administrators only (role 管理员 or superuser), signed in through /staff/login/."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from sscard.staff import views
from sscard.staff.access import forbidden, is_signed_in
from sscard.staff.signin import safe_next

ADMIN_PERMISSION = "staff.use_admin_site"


class StaffAdminSite(admin.AdminSite):
    site_header = "中山市第三代社保卡 业务后台"
    site_title = "社保卡业务后台"
    index_title = "业务管理"

    def has_permission(self, request):
        return is_signed_in(request) and request.user.has_perm(ADMIN_PERMISSION)

    def login(self, request, extra_context=None):
        """There is one sign-in for staff; a signed-in non-administrator is told what they lack."""
        target = safe_next(request, request.GET.get("next")) or reverse("admin:index")
        if self.has_permission(request):
            return redirect(target)
        if is_signed_in(request):
            return forbidden(request, [ADMIN_PERMISSION])
        return redirect_to_login(target, reverse("staff:login"))

    def logout(self, request, extra_context=None):
        return views.logout(request)
