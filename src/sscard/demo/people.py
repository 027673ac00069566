"""Synthetic people for demos and tests: every case the service must handle, deterministic.

ID numbers are made, not collected: a Zhongshan (or other) region code, a birth date, a sequence
and the GB 11643 check digit computed by python-stdnum. None belongs to a real person on purpose
only in the sense that we never look; they are never shown unmasked outside the demo.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢钟黎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志文红梅海燕婷晓雪嘉欣子轩浩然梓涵雨彤俊杰"
MINORITY_NAMES = ["阿卜杜·热合曼", "古丽·艾力", "麦麦提·吐尔逊"]
OTHER_REGIONS = ["440101", "440304", "360426", "430102", "450102", "510104", "420102", "350102"]
SCHOOLS = ["中山市第一中学", "中山纪念中学", "电子科技大学中山学院", "北京理工大学珠海学院中山校区", "中山职业技术学院"]


@dataclass(frozen=True)
class DemoPerson:
    id_number: str
    name: str
    hukou_region: str
    insurance: str
    school: str = ""
    card_generation: int | None = None
    card_status: str = "normal"
    case: str = ""


def make_id(region: str, born: datetime.date, sequence: int, male: bool) -> str:
    seq = sequence % 500 * 2 + (1 if male else 0)
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _born(rng: random.Random, today: datetime.date, low: int, high: int) -> datetime.date:
    age_days = rng.randint(low * 365 + 10, high * 365 - 10)
    return today - datetime.timedelta(days=age_days)


def demo_people(today: datetime.date | None = None, seed: int = 442000) -> list[DemoPerson]:
    today = today or datetime.date(2026, 11, 1)
    rng = random.Random(seed)
    people: list[DemoPerson] = []
    seq = iter(range(1, 10_000))

    def add(case: str, count: int, *, region="442000", insurance="employee", ages=(18, 59), school="",
            card=None, card_status="normal", names=None):
        for i in range(count):
            born = _born(rng, today, *ages)
            number = make_id(region if region != "other" else rng.choice(OTHER_REGIONS), born, next(seq), i % 2 == 0)
            people.append(
                DemoPerson(
                    id_number=number,
                    name=names[i % len(names)] if names else _name(rng),
                    hukou_region=number[:6] if region not in ("810000", "820000", "830000") and number[0] != "9" else "",
                    insurance=insurance,
                    school=school or "",
                    card_generation=card,
                    card_status=card_status,
                    case=case,
                )
            )

    add("户籍在中山，职工社保", 50, card=2)
    add("户籍在中山，城乡居民社保", 20, insurance="resident", card=2)
    add("外地户籍，在中山缴职工社保", 35, region="other")
    add("外地户籍，在中山缴居民社保", 15, region="other", insurance="resident")
    for i in range(20):
        add("在中山读书的学生", 1, region="other", insurance="resident", ages=(16, 22), school=SCHOOLS[i % len(SCHOOLS)])
    add("未满16周岁", 15, insurance="resident", ages=(1, 15))
    add("60岁以上", 15, insurance="resident", ages=(61, 90), card=2)
    add("已有第三代社保卡", 5, card=3)
    add("已有第二代卡，已挂失", 3, card=2, card_status="lost")
    add("少数民族姓名", 3, names=MINORITY_NAMES)
    add("户籍在中山，未参保", 5, insurance="none")
    add("香港居民居住证", 3, region="810000")
    add("澳门居民居住证", 2, region="820000")
    add("台湾居民居住证", 2, region="830000")
    add("外国人永久居留身份证", 4, region="932682")
    return people


def people_not_in_registry(today: datetime.date | None = None) -> list[DemoPerson]:
    """Valid numbers deliberately absent from the registry (e.g. 户口 just moved to Zhongshan)."""
    rng = random.Random(7)
    today = today or datetime.date(2026, 11, 1)
    return [
        DemoPerson(make_id("442000", _born(rng, today, 20, 50), 900 + i, i % 2 == 0), _name(rng), "", "none",
                   case="不在人员信息库（刚迁入户口）")
        for i in range(10)
    ]


def default_person(people: list[DemoPerson]) -> DemoPerson:
    """The demo portrait shows an elderly woman: the first woman over 60 (the ID number's 17th digit is even
    for a woman), so the card, the portrait and the person bound at sign-in agree."""
    return next((p for p in people if p.case == "60岁以上" and int(p.id_number[16]) % 2 == 0), people[0])
