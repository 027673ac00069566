"""Is an address precise to the door? (The seed: ``幸福小区5栋3单元602`` yes, ``幸福路`` no.)

A courier needs either a street door number (``兴中道12号``) or, in a housing estate, the
building and the flat (``5栋3单元602``, ``3座1502房``). Chinese numerals count as numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九两", "001234567892")
NUM = r"(?:\d+|[十百]+\d*)"
DOOR_NUMBER = re.compile(rf"{NUM}[-之]?{NUM}?号(?!楼)")
BUILDING = re.compile(rf"(?:{NUM}|[A-Za-z]\d*)(?:栋|幢|座|号楼|楼(?!层))")
ROOM = re.compile(rf"(?:{NUM}(?:室|房|号房)|(?:单元|栋|幢|座|号楼|楼|-)\s*{NUM}$|{NUM}$)")
ESTATE_WORDS = ("小区", "花园", "苑", "园", "大厦", "公寓", "广场", "新村", "城", "庭", "府", "湾", "居")
EXAMPLE = "例如“幸福小区5栋3单元602”或“兴中道12号”"


@dataclass
class AddressCheck:
    input: str
    normalized: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        return ";".join(message for _code, message in self.problems)


def _plain(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text)


def check_address_detail(raw: str) -> AddressCheck:
    text = _plain(raw)
    result = AddressCheck(input=raw, normalized=text)
    if not text:
        result.problems.append(("empty", "请填写详细地址，" + EXAMPLE))
        return result
    if len(text) > 100:
        result.problems.append(("too_long", "详细地址最多100个字"))
        return result
    numeric = text.translate(CHINESE_DIGITS)
    if not re.search(r"\d", numeric):
        result.problems.append(
            ("not_door_level", f"地址要写到门牌号或楼栋房号，只写到“{text}”快递员找不到，{EXAMPLE}")
        )
        return result
    has_building = bool(BUILDING.search(numeric))
    has_room = bool(ROOM.search(numeric))
    has_door = bool(DOOR_NUMBER.search(numeric))
    in_estate = any(word in text for word in ESTATE_WORDS)
    if has_building and has_room:
        return result
    if has_building and not has_room:
        result.problems.append(("missing_room", "已写了第几栋，还差单元和房号，例如“5栋3单元602”"))
        return result
    if in_estate and has_room and not has_door:
        result.problems.append(("missing_building", "小区地址请写上第几栋（座），例如“幸福小区5栋3单元602”"))
        return result
    if has_door or has_room:
        return result
    result.problems.append(("not_door_level", f"地址要写到门牌号或楼栋房号，{EXAMPLE}"))
    return result
