"""Working-day arithmetic (pure). The calendar is passed in; no database here.

China's statutory holidays move every year and come with adjusted working days (调休: a Saturday
or Sunday that is worked). A ``WorkCalendar`` holds those exceptions; every other day is a
working day from Monday to Friday. Where the exceptions for a year are not yet known, the
calendar says so (``known_years``) and the caller may warn that dates are provisional.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    # date -> True for an adjusted working day (调休上班), False for a holiday (放假)
    exceptions: Mapping[datetime.date, bool] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The date ``count`` working days after ``start`` (``start`` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        remaining = count
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        days = 0
        day = start
        while day < end:
            day += ONE_DAY
            days += self.is_working_day(day)
        return days

    def is_provisional(self, day: datetime.date) -> bool:
        return bool(self.known_years) and day.year not in self.known_years
