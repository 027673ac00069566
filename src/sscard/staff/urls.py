"""The staff web face under /staff/ (namespace ``staff``); the Django admin is at /staff/admin/."""

from django.urls import path

from sscard.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/verify/", views.second_factor, name="second_factor"),
    path("logout/", views.logout, name="logout"),
    path("audit/", views.audit_search, name="audit"),
]
