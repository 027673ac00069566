"""The reviewer's workbench under /staff/review/ (namespace ``review``)."""

from django.urls import path

from sscard.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="workbench"),
    path("next/", views.claim_next, name="claim_next"),
    path("overdue/", views.overdue, name="overdue"),
    path("pickup-changes/<int:change_id>/", views.decide_pickup_change, name="pickup_change"),
    path("<str:reference>/", views.review_screen, name="screen"),
    path("<str:reference>/image/<str:kind>/", views.image, name="image"),
    path("<str:reference>/claim/", views.claim_one, name="claim"),
    path("<str:reference>/release/", views.release, name="release"),
    path("<str:reference>/approve/", views.approve, name="approve"),
    path("<str:reference>/return/", views.return_for_correction, name="return"),
    path("<str:reference>/refuse/", views.refuse, name="refuse"),
]
