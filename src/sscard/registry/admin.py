from django.contrib import admin

from sscard.identity import mask_name
from sscard.registry.models import ExistingCard, Person


class ExistingCardInline(admin.TabularInline):
    model = ExistingCard
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("masked_name", "masked_id", "sex", "hukou_region", "insurance", "school")
    list_filter = ("insurance", "sex", "hukou_region")
    fields = ("masked_id", "name", "sex", "birth_date", "hukou_region", "insurance", "school")
    readonly_fields = ("masked_id",)
    inlines = [ExistingCardInline]

    @admin.display(description="姓名")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description="证件号码")
    def masked_id(self, obj):
        return obj.masked_id
