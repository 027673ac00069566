"""Masking for every place a person reads personal data (pages, exports, SMS, logs)."""

from __future__ import annotations


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
