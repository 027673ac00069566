"""Personal names as written on the ID card.

Han names, and ethnic-minority names joined with the middle dot (``阿卜杜·热合曼``). People type
the dot in many ways (``•``, ``・``, ``．``, a full stop); all become U+00B7. Rare characters outside
the Basic Multilingual Plane (CJK extensions B–G) are accepted: the registry holds them too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sscard.identity.idnumber import Problem

MIDDLE_DOT = "·"
DOT_VARIANTS = re.compile(r"[·•・‧∙⋅．.﹒｡。]")
HAN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
MAX_LENGTH = 30


@dataclass
class NameCheck:
    input: str
    normalized: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        return ";".join(p.message for p in self.problems)


def check_name(raw: str) -> NameCheck:
    result = NameCheck(input=raw)
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = DOT_VARIANTS.sub(MIDDLE_DOT, text)
    # Spaces inside a Han name are a typing habit, not part of the name.
    text = re.sub(r"\s+", "", text)
    result.normalized = text
    if not text:
        result.problems.append(Problem("empty", "请填写姓名"))
        return result
    if any(ch.isdigit() for ch in text):
        result.problems.append(Problem("digit_in_name", "姓名里不能有数字，请按身份证上的姓名填写"))
    if re.search(r"[A-Za-z]", text):
        result.problems.append(
            Problem("latin_in_name", "请填写身份证上的汉字姓名；外籍人士请携带证件到网点办理")
        )
    if text.startswith(MIDDLE_DOT) or text.endswith(MIDDLE_DOT) or MIDDLE_DOT * 2 in text:
        result.problems.append(Problem("misplaced_dot", "间隔号“·”只能写在两个字之间，例如“阿卜杜·热合曼”"))
    others = sorted({ch for ch in text if not HAN.match(ch) and ch != MIDDLE_DOT and not ch.isascii()})
    if others:
        shown = "".join(others[:5])
        result.problems.append(Problem("odd_character", f"姓名里有不认识的符号“{shown}”，请删去"))
    elif any(ch.isascii() and not ch.isalnum() for ch in text):
        shown = "".join(sorted({ch for ch in text if ch.isascii() and not ch.isalnum()}))
        result.problems.append(Problem("odd_character", f"姓名里有不认识的符号“{shown}”，请删去"))
    if not result.problems and len(text.replace(MIDDLE_DOT, "")) < 2:
        result.problems.append(Problem("too_short", "姓名至少两个字，请按身份证填写完整"))
    if len(text) > MAX_LENGTH:
        result.problems.append(Problem("too_long", f"姓名最多{MAX_LENGTH}个字"))
    return result
