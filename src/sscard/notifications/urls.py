from django.urls import path

from sscard.notifications import views

app_name = "notifications"
urlpatterns = [
    path("dev/sms", views.dev_sms, name="dev_sms"),
    path("notifications/receipts/<str:provider>", views.receipt_webhook, name="receipt"),
    path("notifications/dashboard", views.dashboard, name="dashboard"),
]
