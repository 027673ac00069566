import datetime

import pytest

from sscard.workdays.calendar import WorkCalendar
from sscard.workdays.models import CalendarDay
from sscard.workdays.services import add_working_days, current_calendar, load_from_chinesecalendar

D = datetime.date


def test_plain_week():
    cal = WorkCalendar()
    assert cal.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert cal.add_working_days(D(2026, 11, 25), 3) == D(2026, 11, 30)
    assert cal.working_days_between(D(2026, 11, 27), D(2026, 12, 4)) == 5


def test_holidays_and_adjusted_working_days():
    cal = WorkCalendar({D(2026, 10, 1): False, D(2026, 10, 2): False, D(2026, 10, 10): True})
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 5)
    assert cal.is_working_day(D(2026, 10, 10))  # a Saturday that is worked


def test_negative_count_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(2026, 1, 1), -1)


@pytest.mark.django_db
def test_national_day_2026_from_the_table():
    load_from_chinesecalendar([2026])
    # Submitted on 30 September 2026: 1–7 October are holidays; 8, 9 and Saturday 10 October are worked.
    due = add_working_days(D(2026, 9, 30), 3)
    assert due == D(2026, 10, 10)
    assert current_calendar().is_working_day(D(2026, 10, 10))
    assert not current_calendar().is_provisional(D(2026, 12, 1))
    assert current_calendar().is_provisional(D(2027, 3, 1))


@pytest.mark.django_db
def test_admin_edit_takes_effect_at_once():
    assert current_calendar().is_working_day(D(2027, 2, 8))
    CalendarDay.objects.create(date=D(2027, 2, 8), is_working_day=False, name="春节")
    assert not current_calendar().is_working_day(D(2027, 2, 8))
