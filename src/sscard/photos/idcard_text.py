"""What the words read off a resident ID card mean: name, number, validity, which side (no OCR here).

Input is the text lines an OCR engine returns, in reading order. Everything here is plain string
work so it can be tested with tables of what engines really produce, confusions included: O for 0
and l for 1 in the number, 一 or — for the dash between the two dates, a label and its value read
as one line ("姓名张三丰") or as two ("姓名", "张三丰").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

# python-stdnum knows the resident ID number's check digit and birth date; it is already a dependency.
from stdnum.cn import ric

LONG_TERM: Literal["长期"] = "长期"

# Characters engines read in place of a digit or the check character X (the card's number is printed in
# a plain sans-serif face where these look alike).
_DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0",
    "l": "1", "I": "1", "i": "1", "|": "1", "!": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "b": "6", "g": "9",
    "x": "X", "×": "X", "χ": "X",
})
# Dashes, and 一 (the character "one", the same stroke), between the two dates of the validity period.
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "一": "-", "~": "-", "～": "-", "_": "-", "―": "-"})
_SPACE = re.compile(r"\s+")
_NUMBER_RUN = re.compile(r"[0-9X]{18,}")
_DATE = r"(\d{4})\D?(\d{1,2})\D?(\d{1,2})"
_PERIOD = re.compile(_DATE + r"\D{0,2}?-+\D{0,2}?(?:" + _DATE + r"|(长期))")
_NAME_LABEL = "姓名"
# What may stand in a name on the card: Chinese characters and the middle dot of minority names.
_NAME_CHARS = re.compile(r"[\u3400-\u9fff·•.]+")
_NOT_NAME = ("性别", "民族", "出生", "住址", "公民身份号码")

FRONT_WORDS = ("公民身份号码", "姓名", "住址", "出生")
BACK_WORDS = ("签发机关", "有效期限", "居民身份证", "中华人民共和国")


@dataclass(frozen=True)
class Validity:
    valid_from: datetime.date | None
    valid_until: datetime.date | Literal["长期"] | None

    def expired(self, today: datetime.date) -> bool:
        return isinstance(self.valid_until, datetime.date) and self.valid_until < today


def _squash(line: str) -> str:
    return _SPACE.sub("", line)


def find_id_number(lines: Iterable[str]) -> str | None:
    """The first 18-character number whose check digit and birth date hold, OCR look-alikes mended.

    Lines are tried one by one, then all together (an engine may split the number into two boxes). A
    run longer than 18 (a stray character read next to it) is searched window by window; a number whose
    check digit fails is not returned, so a misread never becomes a "different person"."""
    lines = [_squash(line) for line in lines]
    for text in [*lines, "".join(lines)]:
        # Mend look-alikes only next to digits: the labels around the number are Chinese and unaffected.
        mended = text.translate(_DIGIT_LOOKALIKES)
        for run in _NUMBER_RUN.findall(mended):
            for i in range(len(run) - 17):
                candidate = run[i : i + 18]
                if _is_id_number(candidate):
                    return candidate
    return None


def _is_id_number(candidate: str) -> bool:
    """The check digit and the birth date hold, as for the number an applicant types
    (``identity.idnumber``). Not ``ric.is_valid``: it also wants the place code to have existed in the
    birth year, which real cards break: 442000 (Zhongshan, since 1988) heads the numbers of people
    born long before, so the cards of most of the city's adults would never be read. (Written here,
    not called from ``identity``: the pure core's packages are independent of each other.)"""
    if not candidate[:17].isdigit():
        return False
    try:
        ric.get_birth_date(candidate)
    except ValueError:  # (stdnum's InvalidComponent is a ValueError)
        return False
    return candidate[-1] == ric.calc_check_digit(candidate)


def find_name(lines: Sequence[str]) -> str | None:
    """The name after the "姓名" label: on the same line, or the next line when read as its own box."""
    lines = [_squash(line) for line in lines]
    for i, line in enumerate(lines):
        at = line.find(_NAME_LABEL)
        if at < 0:
            continue
        rest = line[at + len(_NAME_LABEL) :].lstrip(":：")
        for text in (rest, lines[i + 1] if i + 1 < len(lines) else ""):
            name = _clean_name(text)
            if name:
                return name
    return None


def _clean_name(text: str) -> str | None:
    if not text or any(text.startswith(word) for word in _NOT_NAME):
        return None
    match = _NAME_CHARS.match(text)
    if not match:
        return None
    name = match.group(0).replace("•", "·").replace(".", "·").strip("·")
    return name if 2 <= len(name) <= 30 else None


def find_validity(lines: Sequence[str]) -> Validity | None:
    """The validity period ("有效期限 2016.03.01-2036.03.01", "2016.03.01-长期"), None if none reads as one.

    A period whose end is not after its start is a misread and is not returned."""
    lines = [_squash(line).translate(_DASHES).translate(_DIGIT_LOOKALIKES) for line in lines]
    for text in [*lines, "".join(lines)]:
        for m in _PERIOD.finditer(text):
            start = _date(m.group(1), m.group(2), m.group(3))
            if start is None:
                continue
            if m.group(7):
                return Validity(start, LONG_TERM)
            end = _date(m.group(4), m.group(5), m.group(6))
            if end is not None and end > start:
                return Validity(start, end)
    return None


def _date(y: str, m: str, d: str) -> datetime.date | None:
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        return None


def side_of(lines: Sequence[str]) -> Literal["front", "back"] | None:
    """Which side the words are from: "front" (人像面) or "back" (国徽面), None when they do not say
    or say both."""
    text = "".join(_squash(line) for line in lines)
    front = any(word in text for word in FRONT_WORDS) or find_id_number(lines) is not None
    back = any(word in text for word in BACK_WORDS) or find_validity(lines) is not None
    if front == back:
        return None
    return "front" if front else "back"


def chinese_date(day: datetime.date) -> str:
    """``2020-03-01`` → ``2020年3月1日``, as the messages write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
