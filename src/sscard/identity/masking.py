"""Masking for every place a person reads personal data (pages, exports, SMS, logs)."""

from __future__ import annotations

import re

# An 18-character resident ID number (or a 15-digit one from old cards), and a mainland mobile number, wherever
# they stand in free text: a log line, a traceback, an audit detail.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_LIKE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?)(1[3-9]\d{9})(?!\d)")


def mask_id_number(number: str) -> str:
    """``442000199001011233`` → ``4420**********1233``: region prefix and the last four stay."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = phone.removeprefix("+86")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``: the family name stays so a citizen recognises their own record."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def mask_personal_text(text: str) -> str:
    """Free text with every ID-number-like and mobile-like run masked (``…4420**********1233…``)."""
    text = _ID_LIKE.sub(lambda m: mask_id_number(m.group(1)), text)
    return _PHONE_LIKE.sub(lambda m: m.group(1) + mask_phone(m.group(2)), text)
