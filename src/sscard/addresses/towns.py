"""The 23 towns and streets (镇街) of Zhongshan: 8 subdistricts and 15 towns.

Since the 2021 adjustment 东升镇 is part of 小榄镇, and 南朗 and 民众 are subdistricts; 中山港街道
is the seat of the Torch Development Zone (火炬开发区). The codes are our own stable slugs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    kind: str  # "街道" or "镇"


TOWNS: tuple[Town, ...] = (
    Town("shiqi", "石岐街道", "街道"),
    Town("dongqu", "东区街道", "街道"),
    Town("xiqu", "西区街道", "街道"),
    Town("nanqu", "南区街道", "街道"),
    Town("wuguishan", "五桂山街道", "街道"),
    Town("zhongshangang", "中山港街道", "街道"),
    Town("nanlang", "南朗街道", "街道"),
    Town("minzhong", "民众街道", "街道"),
    Town("huangpu", "黄圃镇", "镇"),
    Town("nantou", "南头镇", "镇"),
    Town("dongfeng", "东凤镇", "镇"),
    Town("fusha", "阜沙镇", "镇"),
    Town("xiaolan", "小榄镇", "镇"),
    Town("guzhen", "古镇镇", "镇"),
    Town("henglan", "横栏镇", "镇"),
    Town("gangkou", "港口镇", "镇"),
    Town("shaxi", "沙溪镇", "镇"),
    Town("dachong", "大涌镇", "镇"),
    Town("sanxiang", "三乡镇", "镇"),
    Town("banfu", "板芙镇", "镇"),
    Town("shenwan", "神湾镇", "镇"),
    Town("tanzhou", "坦洲镇", "镇"),
    Town("sanjiao", "三角镇", "镇"),
)

_BY_CODE = {town.code: town for town in TOWNS}
TOWN_CHOICES = [(town.code, town.name) for town in TOWNS]


def town_by_code(code: str) -> Town | None:
    return _BY_CODE.get(code)
