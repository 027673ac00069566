"""ID numbers as people actually type them.

python-stdnum (``stdnum.cn.ric``) owns GB 11643: the MOD 11-2 check digit and the region table.
It does not cover the documents the bureau must also recognise (foreigners' permanent residence
IDs in the 2023 18-character format, Hong Kong/Macao/Taiwan residence permits), and its
``validate`` rejects a region code whose county did not exist in the birth year — but a person
born in 1960 was often issued a ``442000`` number after Zhongshan became a prefecture city in
1988, so we look the region up without the era check. Everything it lacks is added here, with a
Chinese message that names the position a citizen got wrong.
"""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from dataclasses import dataclass, field

from stdnum import numdb
from stdnum.cn import ric

from sscard.identity.masking import mask_id_number


class DocumentType(enum.StrEnum):
    RESIDENT = "resident"
    FOREIGN_PERMANENT = "foreign_permanent"
    HK_MACAO_RESIDENT = "hk_macao_resident"
    TAIWAN_RESIDENT = "taiwan_resident"


PERMIT_PREFIXES = {
    "810000": (DocumentType.HK_MACAO_RESIDENT, "香港"),
    "820000": (DocumentType.HK_MACAO_RESIDENT, "澳门"),
    "830000": (DocumentType.TAIWAN_RESIDENT, "台湾"),
}

# Characters people type by mistake for digits, with what they meant.
CONFUSABLES = {"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "|": "1"}
LETTER_NAMES = {"O": "字母O", "o": "字母o", "l": "小写字母l", "I": "大写字母I", "i": "字母i", "|": "竖线|"}
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_./·]+")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    position: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class IdCheck:
    input: str
    normalized: str = ""
    type: DocumentType | None = None
    birth_date: datetime.date | None = None
    sex: str | None = None  # "M" or "F"
    region: str = ""
    problems: list[Problem] = field(default_factory=list)
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def masked(self) -> str:
        return mask_id_number(self.normalized)

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        b, t = self.birth_date, self.today
        return t.year - b.year - ((t.month, t.day) < (b.month, b.day))

    @property
    def message(self) -> str:
        return ";".join(p.message for p in self.problems)

    def as_dict(self) -> dict:
        return {
            "input": self.input,
            "valid": self.valid,
            "normalized": self.normalized,
            "type": self.type.value if self.type else None,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "region": self.region,
            "age": self.age,
            "masked": self.masked if self.valid else "",
            "problems": [p.as_dict() for p in self.problems],
        }


def normalize(raw: str) -> str:
    """Full-width to half-width, separators and spaces removed, a final lower-case x upper-cased."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = SEPARATORS.sub("", text)
    if len(text) == 18 and text[-1] == "x":
        text = text[:-1] + "X"
    return text


def _region_name(code: str) -> str:
    """Province/prefecture/county for a 6-digit code, ignoring the era (see module docstring)."""
    parts = numdb.get("cn/loc").info(code)
    names = []
    for _part, props in parts:
        for key in ("province", "prefecture", "county"):
            if key in props:
                value = props[key]
                # Entries look like "[1988-]中山市" or "[-1980]旅大市,[1981-]大连市": take the newest name.
                value = value.split(",")[-1]
                value = re.sub(r"^\[[^\]]*\]", "", value)
                names.append(value)
    return "".join(dict.fromkeys(names))


def check_id_number(raw: str, today: datetime.date | None = None) -> IdCheck:
    result = IdCheck(input=raw, today=today or datetime.date.today())
    number = normalize(raw)
    result.normalized = number
    if not number:
        result.problems.append(Problem("empty", "请填写证件号码"))
        return result

    # Letters where digits belong: name each position and what was probably meant.
    for index, char in enumerate(number, start=1):
        if char.isdigit() or (index == 18 and char == "X" and len(number) == 18):
            continue
        if char in CONFUSABLES:
            result.problems.append(
                Problem(
                    "confusable_character",
                    f"第{index}位是{LETTER_NAMES[char]}，应为数字{CONFUSABLES[char]}",
                    index,
                )
            )
        elif char.isascii() and char.isalpha():
            hint = "（只有最后一位可以是X）" if char.upper() == "X" else ""
            result.problems.append(
                Problem("letter_in_number", f"第{index}位是字母{char}，证件号码这里只能是数字{hint}", index)
            )
        else:
            result.problems.append(
                Problem("invalid_character", f"第{index}位“{char}”不是数字，请只填写数字", index)
            )

    if len(number) == 15 and not result.problems:
        result.problems.append(
            Problem("old_15_digit", "这是15位的旧身份证号码，请填写现在使用的18位身份证号码")
        )
        return result
    if len(number) != 18:
        result.problems.append(
            Problem("wrong_length", f"证件号码应为18位，您填写了{len(number)}位，请核对是否多填或漏填")
        )
        return result
    if result.problems:
        return result

    _check_birth_date(number, result)
    if number[-1] != ric.calc_check_digit(number):
        result.problems.append(
            Problem(
                "wrong_check_digit",
                "第18位校验码与前17位对不上，号码中有一位填错或两位顺序颠倒，请对照证件逐位核对",
                18,
            )
        )
    if result.problems:
        return result

    result.sex = "M" if int(number[16]) % 2 else "F"
    if number[0] == "9":
        result.type = DocumentType.FOREIGN_PERMANENT
        province = _region_name(number[1:3] + "0000")
        result.region = f"{province}受理，国籍代码{number[3:6]}" if province else f"国籍代码{number[3:6]}"
        if not province:
            result.problems.append(
                Problem("unknown_region", f"第2–3位“{number[1:3]}”不是有效的受理地代码，请核对", 2)
            )
        return result
    if number[:6] in PERMIT_PREFIXES:
        result.type, result.region = PERMIT_PREFIXES[number[:6]]
        return result
    result.type = DocumentType.RESIDENT
    result.region = _region_name(number[:6])
    if not result.region or not numdb.get("cn/loc").info(number[:6])[-1][1]:
        result.problems.append(
            Problem("unknown_region", f"前6位“{number[:6]}”不是有效的地区代码，请核对", 1)
        )
    return result


def _check_birth_date(number: str, result: IdCheck) -> None:
    digits = number[6:14]
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        result.problems.append(
            Problem("impossible_birth_date", f"第7–14位是出生日期，“{digits}”不是一个真实的日期，请核对", 7)
        )
        return
    if born > result.today or born.year < 1890:
        result.problems.append(
            Problem("impossible_birth_date", f"第7–14位是出生日期，“{digits}”不可能是出生日期，请核对", 7)
        )
        return
    result.birth_date = born
