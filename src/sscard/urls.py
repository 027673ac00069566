from django.contrib import admin
from django.urls import include, path

from sscard.api import main as api_main
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
