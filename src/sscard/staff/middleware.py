"""Idle timeout for staff sessions. Citizens are not Django users, so their sessions are untouched."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from sscard import audit
from sscard.staff.signin import LAST_ACTIVITY_KEY


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(auth.SESSION_KEY) is None:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        idle_limit = settings.STAFF_IDLE_TIMEOUT.total_seconds()
        if last is not None and now - last > idle_limit:
            audit.record(request, "staff.signout_idle", obj_kind="user", obj_id=request.user.pk,
                         details={"idle_minutes": int((now - last) // 60)})
            auth.logout(request)
            messages.warning(
                request, f"您已超过{int(idle_limit // 60)}分钟未操作，为保护数据安全已自动退出，请重新登录。"
            )
            if request.path.startswith("/staff/"):
                return redirect_to_login(request.get_full_path(), reverse("staff:login"))
            return self.get_response(request)
        request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
