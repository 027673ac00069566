"""The one rule for what a person may type into any text input, web form or channel API.

Control characters (NUL, escape, the C0 and C1 ranges) and lone surrogates never belong in a name, an
address or a note, and PostgreSQL refuses NUL outright (in text and in jsonb): without this rule a NUL
typed (or pasted) into a form was a 500. Every input refuses them with the same Chinese message, next to
the field, and keeps the rest of what was typed. Line breaks and tabs are allowed only where the input is a
multi-line box (a reviewer's note). Pure Python: the web forms (``common.forms``), the citizen form steps
(``applications.forms_rules``) and the API schemas all call :func:`has_control_chars`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

CONTROL_CHARS_MESSAGE = "不能包含控制字符等不可见字符，请删除后重新输入"

_REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})  # control characters; surrogates (never valid text)
_LINE_BREAKS = frozenset("\t\n\r")


def has_control_chars(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a character no text input accepts (``multiline`` lets tabs and line breaks in)."""
    return any(
        unicodedata.category(ch) in _REFUSED_CATEGORIES and not (multiline and ch in _LINE_BREAKS)
        for ch in value
    )


def control_char_errors(data: Mapping, fields: Iterable[str] | None = None, *,
                        multiline: Iterable[str] = ()) -> dict[str, str]:
    """``{field: message}`` for each of ``fields`` (default: every key) whose text breaks the rule."""
    multi = frozenset(multiline)
    names = data.keys() if fields is None else fields
    return {
        name: CONTROL_CHARS_MESSAGE
        for name in names
        if has_control_chars(str(data.get(name, "") or ""), multiline=name in multi)
    }


def storable(value: str) -> str:
    """What of a refused input can still be kept to show it again: all but NUL (PostgreSQL stores no NUL)."""
    return value.replace("\x00", "")
