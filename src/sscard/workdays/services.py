"""The working-day calendar from the database, cached per process and cleared on edit."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sscard.workdays.calendar import WorkCalendar
from sscard.workdays.models import CalendarDay, KnownYear

CACHE_KEY = "workdays:calendar:v1"


def current_calendar() -> WorkCalendar:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    calendar = WorkCalendar(
        exceptions=dict(CalendarDay.objects.values_list("date", "is_working_day")),
        known_years=frozenset(KnownYear.objects.values_list("year", flat=True)),
    )
    cache.set(CACHE_KEY, calendar, 3600)
    return calendar


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=KnownYear)
def _forget_calendar(**_kwargs) -> None:
    cache.delete(CACHE_KEY)


def load_from_chinesecalendar(years: list[int] | None = None) -> int:
    """Copy the package's holiday data into the table (idempotent). Returns rows written."""
    # Only this loader needs the package; its tables cost ~90 ms to import in every web process.
    import chinese_calendar

    written = 0
    wanted = set(years) if years else None
    for table, working in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for day, name in table.items():
            if wanted and day.year not in wanted:
                continue
            # The package lists every weekend as a holiday only when it is part of a festival;
            # weekdays that are holidays and weekends that are worked are what we store.
            if working == (day.weekday() < 5):
                continue
            _, created = CalendarDay.objects.update_or_create(
                date=day, defaults={"is_working_day": working, "name": _festival_zh(name)}
            )
            written += created
    for year in {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}:
        if wanted and year not in wanted:
            continue
        KnownYear.objects.get_or_create(year=year)
    cache.delete(CACHE_KEY)
    return written


FESTIVALS_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _festival_zh(name) -> str:
    text = getattr(name, "value", name) or ""
    return FESTIVALS_ZH.get(text, text)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    return current_calendar().add_working_days(start, count)
