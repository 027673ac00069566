"""The production operator's screen under /staff/production/ (namespace ``production``)."""

from django.urls import path

from sscard.production import views

app_name = "production"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("export/", views.export, name="export"),
    path("import/", views.import_results, name="import"),
    path("<str:code>/download/", views.download, name="download"),
]
