"""Pure text rules for SMS: template variables, rendering, length and segment count. No database."""

from __future__ import annotations

import string
from dataclasses import dataclass

# GSM 03.38 basic set: a message made only of these is sent 7-bit (160 / 153 per part).
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = set("^{}\\[~]|€")  # each takes two septets


@dataclass(frozen=True)
class Length:
    characters: int
    segments: int
    unicode: bool

    @property
    def per_segment(self) -> int:
        if self.unicode:
            return 70 if self.segments <= 1 else 67
        return 160 if self.segments <= 1 else 153


def measure(text: str) -> Length:
    """Characters and carrier segments of ``text`` (a Chinese SMS: 70 in one part, 67 per part when split)."""
    if all(ch in _GSM7 or ch in _GSM7_EXT for ch in text):
        septets = sum(2 if ch in _GSM7_EXT else 1 for ch in text)
        segments = 1 if septets <= 160 else -(-septets // 153)
        return Length(len(text), segments, False)
    # Carriers count UTF-16 code units; a character outside the BMP (rare 生僻字, emoji) takes two.
    units = len(text.encode("utf-16-le")) // 2
    segments = 1 if units <= 70 else -(-units // 67)
    return Length(len(text), segments, True)


def variables(template: str) -> list[str]:
    """Names used by ``template`` in order of first appearance (``{name}`` placeholders)."""
    names: list[str] = []
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if field == "" or not field.isidentifier() or spec or conversion:
            raise ValueError(f"变量写法不正确：{{{field}}}，只能写成 {{变量名}}")
        if field not in names:
            names.append(field)
    return names


def unknown_variables(template: str, allowed: frozenset[str] | set[str]) -> list[str]:
    return [name for name in variables(template) if name not in allowed]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, context: dict, sign_name: str) -> str:
    """The text the citizen receives: 【sign】 + the template filled in (a missing value renders empty)."""
    values = _Blank({k: "" if v is None else str(v) for k, v in context.items()})
    return f"【{sign_name}】{string.Formatter().vformat(template, (), values)}"
