from django.urls import path

from sscard.logistics import views

app_name = "logistics"
urlpatterns = [
    path("logistics/courier/webhook", views.courier_webhook, name="courier_webhook"),
]
