"""Charts drawn on the server as plain SVG (pure: no Django, no JavaScript, nothing from a CDN).

Two shapes cover the dashboards: :func:`columns` — one column per day, stacked by series (applications per
day by channel) — and :func:`bars` — one horizontal bar per category (towns, return reasons, reviewers).
Every bar is a ``<rect class="bar">`` carrying ``data-label``/``data-value`` and a ``<title>`` (the
tooltip a mouse shows, and what a screen reader reads); the chart's own ``<title>`` names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

# Distinguishable in colour and in grey print; the first is the staff pages' blue.
PALETTE = ("#0b5cad", "#f0a500", "#2e8b57", "#8e44ad", "#c0392b", "#16a2b8", "#7f8c8d")
WIDTH = 960
FONT = 'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (the top of the axis); 1 for nothing."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # not reached


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _open(title: str, height: int, key: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{key}" {FONT} font-size="12">',
        f'<title id="chart-{key}">{escape(title)}</title>',
    ]


def columns(key: str, title: str, labels: list[str], series: list[Series], *, height: int = 280) -> str:
    """Stacked columns: one per label (a day), one colour per series, a legend above, the axis on the left."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels")
    left, top, bottom, right = 48, 34, 40, 12
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = nice_ceiling(max(totals, default=0))
    parts = _open(title, height, key)
    parts += _legend([s.name for s in series], left)
    parts += _value_axis(left, top, plot_w, plot_h, top_value)
    slot = plot_w / max(len(labels), 1)
    bar_w = max(1.0, slot * 0.7)
    every = max(1, math.ceil(len(labels) / 15))  # at most ~15 labels under the axis
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for n, s in enumerate(series):
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top_value
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[n % len(PALETTE)]}" data-label="{escape(label)}" data-series="{escape(s.name)}" '
                f'data-value="{_number(value)}"><title>{escape(label)} {escape(s.name)}：{_number(value)}</title></rect>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="#52606d">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bars(key: str, title: str, items: list[tuple[str, float]], *, unit: str = "") -> str:
    """Horizontal bars, one per (label, value), in the order given, the value written at the bar's end."""
    row_h, top, label_w, right = 26, 8, 220, 90
    height = top * 2 + row_h * max(len(items), 1)
    plot_w = WIDTH - label_w - right
    top_value = nice_ceiling(max((v for _, v in items), default=0))
    parts = _open(title, height, key)
    if not items:
        parts.append(f'<text x="{label_w}" y="{top + 17}" fill="#52606d">所选期间没有数据</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = plot_w * max(value, 0) / top_value
        text = f"{_number(value)}{unit}"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}" '
            f'data-label="{escape(label)}" data-value="{_number(value)}"><title>{escape(label)}：{escape(text)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" fill="#1f2933">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: list[str], left: int) -> list[str]:
    parts, x = [], left
    for n, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"></rect>'
            f'<text x="{x + 17}" y="19">{escape(name)}</text>'
        )
        x += 30 + 13 * len(name)
    return parts


def _value_axis(left: int, top: int, plot_w: int, plot_h: int, top_value: float) -> list[str]:
    parts = []
    for step in range(5):
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7eb"></line>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#52606d">{_number(round(value, 2))}</text>'
        )
    return parts
