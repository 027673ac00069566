"""Small numeric helpers for the dashboards (pure): percentile positions and durations in words.

Percentiles follow PostgreSQL's ``percentile_cont`` (linear interpolation between the two nearest
ranks), so the SQLite path — which reads the two values at an OFFSET — gives the same figure.
"""

from __future__ import annotations

import math


def percentile_position(count: int, fraction: float) -> tuple[int, float]:
    """Where ``percentile_cont(fraction)`` sits in ``count`` sorted values: (lower index, weight of the next)."""
    if count < 1:
        raise ValueError("no values")
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction {fraction} is not between 0 and 1")
    position = fraction * (count - 1)
    lower = math.floor(position)
    return lower, position - lower


def interpolate(values: list[float], weight: float) -> float:
    """The value at ``weight`` between ``values[0]`` and ``values[1]`` (one value: that value)."""
    if len(values) == 1 or weight == 0:
        return float(values[0])
    return float(values[0]) + (float(values[1]) - float(values[0])) * weight


def duration_text(seconds: float | None) -> str:
    """A duration as a clerk reads it: 45秒, 12分钟, 3.5小时, 2天4小时 (— when there is none)."""
    if seconds is None:
        return "—"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.0f}秒"
    if seconds < 3600:
        return f"{seconds / 60:.0f}分钟"
    if seconds < 86400:
        return f"{seconds / 3600:.1f}小时"
    days, rest = divmod(seconds, 86400)
    hours = round(rest / 3600)
    if hours == 24:
        days, hours = days + 1, 0
    return f"{days:.0f}天" + (f"{hours}小时" if hours else "")


def hours(seconds: float | None) -> float | None:
    """Seconds as hours (the CSV's unit) to four decimals — a second is 0.0003 h; None stays None."""
    return None if seconds is None else round(float(seconds) / 3600, 4)
