"""Acceptance numbers: ``ZS`` + date + 6-digit daily sequence + one check character.

``ZS20261129000123K``: readable over the phone, sortable, and a mistyped digit is caught by the
ISO 7064 MOD 37-36 check character (python-stdnum implements it; we do not hand-write it).
The sequence comes from one atomic upsert, so parallel allocations never collide.
"""

from __future__ import annotations

import datetime

from stdnum.iso7064 import mod_37_36

from sscard.applications.models import DailySequence
from sscard.common import counters

PREFIX = "ZS"


def format_number(day: datetime.date, sequence: int) -> str:
    body = f"{PREFIX}{day:%Y%m%d}{sequence:06d}"
    return body + mod_37_36.calc_check_digit(body)


def is_valid(number: str) -> bool:
    number = (number or "").strip().upper()
    return len(number) == 17 and number.startswith(PREFIX) and mod_37_36.is_valid(number)


def allocate(day: datetime.date) -> str:
    return format_number(day, counters.bump(DailySequence, {"day": day}, "last"))
