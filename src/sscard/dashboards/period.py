"""The date range a dashboard covers: parsed from the query string, checked, with a default (pure).

Days are local calendar days, both ends included: ``from=2025-03-01&to=2025-03-31`` is all of March.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date  # included

    @property
    def days(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def as_query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def _date(raw: str, label: str, errors: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{label}格式不正确，请按“2025-01-31”填写。")
        return None


def parse_period(raw_from: str, raw_to: str, today: datetime.date) -> tuple[Period | None, list[str]]:
    """The period asked for (default: the last 30 days up to today), or None and the Chinese reasons why not."""
    raw_from, raw_to = (raw_from or "").strip(), (raw_to or "").strip()
    errors: list[str] = []
    last = _date(raw_to, "结束日期", errors) if raw_to else today
    first = _date(raw_from, "开始日期", errors) if raw_from else None
    if errors:
        return None, errors
    if first is None:
        first = last - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        return None, ["开始日期不能晚于结束日期。"]
    if (last - first).days + 1 > MAX_DAYS:
        return None, [f"查询范围最长{MAX_DAYS}天，请缩短日期范围。"]
    return Period(first, last), []
