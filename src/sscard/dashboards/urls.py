"""The supervisors' dashboards under /staff/dashboards/ (namespace ``dashboards``)."""

from django.urls import path

from sscard.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.page, {"code": "intake"}, name="intake"),
    path("review/", views.page, {"code": "review"}, name="review"),
    path("reviewers/", views.page, {"code": "reviewers"}, name="reviewers"),
    path("<slug:page_code>/<slug:table_code>.csv", views.export, name="export"),
]
