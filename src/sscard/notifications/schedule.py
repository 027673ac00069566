"""Pure time rules: quiet hours and retry back-off. No database."""

from __future__ import annotations

import datetime
import random


def parse_quiet_hours(spec: str) -> tuple[datetime.time, datetime.time] | None:
    """``"21:00-08:00"`` → (21:00, 08:00); empty → None (no quiet hours)."""
    if not spec.strip():
        return None
    start, _, end = spec.partition("-")
    return datetime.time.fromisoformat(start.strip()), datetime.time.fromisoformat(end.strip())


def quiet_until(local: datetime.datetime, spec: str) -> datetime.datetime | None:
    """When a non-urgent notice held at ``local`` (an aware local time) may go; None if it may go now."""
    window = parse_quiet_hours(spec)
    if window is None:
        return None
    start, end = window
    t = local.timetz().replace(tzinfo=None)
    if start <= end:
        inside = start <= t < end
        release_day = local.date()
    else:  # the window crosses midnight (21:00–08:00)
        inside = t >= start or t < end
        release_day = local.date() + datetime.timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    return datetime.datetime.combine(release_day, end, tzinfo=local.tzinfo)


def backoff_seconds(attempt: int, base: int, cap: int, rng: random.Random | None = None) -> float:
    """Delay after the ``attempt``-th failed attempt: base·2^(attempt-1), capped, plus up to 10 % jitter so the
    messages that failed together during an outage do not all come back in the same second."""
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay * (1 + (rng or random).random() * 0.1)
