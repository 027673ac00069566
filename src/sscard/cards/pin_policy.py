"""The 6-digit service PIN (服务密码) rules (pure: no Django, no database).

DESIGN.md §3: 6 digits, not the birthday, not derivable from the ID number, not repeated or sequential.
Each refusal has a stable ``code`` (the channel API returns it) and a Chinese message. The first rule
that fails is reported, in the order of ``RULES`` below (format first: the others assume six digits).

Birthday fragments, from the birth date in the ID number (positions 7–14, ``YYYYMMDD``):
- the 6-digit forms a person would type: ``YYMMDD`` (900101), ``MMDDYY`` (010190), ``DDMMYY`` (010190);
- any 6-digit window of ``YYYYMMDD`` (199001, 900101) — "YYYYMMDD pieces";
- ``MMDD`` or ``DDMM`` anywhere in the PIN (``880101``, ``010188``): four birthday digits leave only two to guess.
  ``DDMM`` is included because it is how many people write dates; a birthday whose ``MMDD`` and ``DDMM`` are
  the same (e.g. 1 January → ``0101``) is simply the same fragment twice.
The ID number's last six digits are refused on their own (``pin_id_tail``). Ascending and descending runs
wrap around 9→0 (``890123`` and ``109876`` are runs too): anyone guessing tries them.
"""

from __future__ import annotations

from dataclasses import dataclass

PIN_LENGTH = 6

# PINs people choose most often that the other rules do not already catch (a pattern, a word, a lucky number).
COMMON_PINS = frozenset({
    "112233", "121212", "123123", "123321", "131313", "147258", "147369", "159357", "159753", "168168",
    "168888", "188188", "198198", "201314", "212121", "223344", "258258", "258369", "321321", "336699",
    "369369", "456456", "520131", "520520", "521521", "521314", "666888", "667788", "778899",
    "789789", "868686", "886688", "888666", "888999", "998877", "100200", "110110", "110120", "119119",
    "120120", "101010", "202020", "131420", "520521", "741852", "852963", "963852",
})


@dataclass(frozen=True)
class PinRefusal:
    code: str
    message: str


MESSAGES = {
    "pin_format": "服务密码须为6位数字",
    "pin_mismatch": "两次输入的服务密码不一致，请重新输入",
    "pin_birthday": "服务密码不能包含您的出生日期（如出生年月日、月日），请换一组数字",
    "pin_id_tail": "服务密码不能是身份证号码的后六位，请换一组数字",
    "pin_repeated": "服务密码不能是同一个数字重复（如111111），请换一组数字",
    "pin_sequence": "服务密码不能是连续的数字（如123456、654321），请换一组数字",
    "pin_common": "这组数字太常见，容易被他人猜到（如112233、520520），请换一组数字",
}

# The order in which rules are checked; the API documents these codes.
CODES = ("pin_format", "pin_mismatch", "pin_birthday", "pin_id_tail", "pin_repeated", "pin_sequence", "pin_common")

# What the activation page shows before the citizen types anything.
RULES_FOR_PEOPLE = (
    "6位数字",
    "不能包含出生日期（年月日、月日）",
    "不能是身份证号码后六位",
    "不能是同一数字重复，如111111",
    "不能是连续数字，如123456、654321",
    "不能是常见的简单组合，如112233、520520",
)


def _refusal(code: str) -> PinRefusal:
    return PinRefusal(code, MESSAGES[code])


def birthday_fragments(id_number: str) -> tuple[set[str], set[str]]:
    """(six-digit forms, four-digit forms) of the birth date in an 18-digit ID number; empty when it has none."""
    number = (id_number or "").strip().upper()
    if len(number) != 18 or not number[6:14].isdigit():
        return set(), set()
    yyyymmdd = number[6:14]
    yy, mm, dd = yyyymmdd[2:4], yyyymmdd[4:6], yyyymmdd[6:8]
    six = {yyyymmdd[i:i + 6] for i in range(3)} | {yy + mm + dd, mm + dd + yy, dd + mm + yy}
    return six, {mm + dd, dd + mm}


def _is_run(pin: str, step: int) -> bool:
    return all((int(b) - int(a)) % 10 == step for a, b in zip(pin, pin[1:], strict=False))


def check_pin(pin: str, pin_confirm: str | None = None, *, id_number: str = "") -> PinRefusal | None:
    """None when ``pin`` may be used; otherwise the first rule it breaks.

    ``pin_confirm`` is the second entry (None: not asked, e.g. checking a PIN typed once at a counter).
    ``id_number`` is the card holder's; without it the birthday and tail rules cannot apply.
    """
    pin = pin if isinstance(pin, str) else ""
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        return _refusal("pin_format")
    if pin_confirm is not None and pin_confirm != pin:
        return _refusal("pin_mismatch")
    six, four = birthday_fragments(id_number)
    if pin in six or any(fragment in pin for fragment in four):
        return _refusal("pin_birthday")
    number = (id_number or "").strip()
    if len(number) >= PIN_LENGTH and number[-PIN_LENGTH:] == pin:
        return _refusal("pin_id_tail")
    if len(set(pin)) == 1:
        return _refusal("pin_repeated")
    if _is_run(pin, 1) or _is_run(pin, -1 % 10):
        return _refusal("pin_sequence")
    if pin in COMMON_PINS:
        return _refusal("pin_common")
    return None
