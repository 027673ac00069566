from django.contrib import admin
from django.urls import include, path

from sscard.api import main as api_main
from sscard.common import error_pages
from sscard.health import healthz

admin.site.site_header = "中山市第三代社保卡 业务后台"
admin.site.site_title = "社保卡业务后台"
admin.site.index_title = "业务管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("staff/admin/", admin.site.urls),
    path("staff/review/", include("sscard.review.urls")),
    path("staff/production/", include("sscard.production.urls")),
    path("staff/dashboards/", include("sscard.dashboards.urls")),
    path("staff/", include("sscard.staff.urls")),
    path("api/v1/", api_main.urls()),
    path("", include("sscard.notifications.urls")),
    path("", include("sscard.logistics.urls")),
    path("", include("sscard.citizen_urls")),
]

# Chinese pages (and JSON under /api/) instead of Django's bare English ones.
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
