from django.contrib import admin

from sscard.common.admin import ReadOnlyAdmin
from sscard.production.models import Batch, ResultImport


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("code", "created_at", "created_by", "count")
    search_fields = ("code",)


@admin.register(ResultImport)
class ResultImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "imported_at", "imported_by", "rows", "applied", "unchanged")
