from django.contrib import admin

from sscard.workdays.models import CalendarDay, KnownYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


admin.site.register(KnownYear)
