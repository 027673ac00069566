from django.contrib import admin

from sscard.production.models import Batch, ResultImport


class ReadOnlyAdmin(admin.ModelAdmin):
    """Production records are written by the export and the import only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("code", "created_at", "created_by", "count")
    search_fields = ("code",)


@admin.register(ResultImport)
class ResultImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "imported_at", "imported_by", "rows", "applied", "unchanged")
