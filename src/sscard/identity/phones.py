"""Mainland mobile numbers, through ``phonenumbers`` (it knows which prefixes are mobile)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType


@dataclass(frozen=True)
class PhoneCheck:
    input: str
    normalized: str
    message: str = ""

    @property
    def valid(self) -> bool:
        return not self.message


def check_mobile(raw: str) -> PhoneCheck:
    text = unicodedata.normalize("NFKC", raw or "")
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits:
        return PhoneCheck(raw, "", "请填写手机号")
    if not digits.isdigit():
        return PhoneCheck(raw, digits, "手机号只能是数字")
    if len(digits) != 11:
        return PhoneCheck(raw, digits, f"手机号应为11位，您填写了{len(digits)}位")
    parsed = phonenumbers.parse(digits, "CN")
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in (
        PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return PhoneCheck(raw, digits, f"“{digits}”不是有效的手机号，请核对")
    return PhoneCheck(raw, digits)
