"""What to tell someone the registry cannot serve online (pure): a permit or foreign-ID holder, who is
served at a counter whatever the registry holds, and a person the registry does not hold (yet).

Real-name binding (accounts) and the eligibility rules (applications) both say this, in these words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COUNTER_DOCUMENTS = {
    "hk_macao_resident": "港澳居民居住证原件（或港澳居民来往内地通行证）",
    "taiwan_resident": "台湾居民居住证原件（或台湾居民来往大陆通行证）",
    "foreign_permanent": "外国人永久居留身份证原件和护照",
}


@dataclass(frozen=True)
class Explanation:
    title: str
    reasons: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def counter_only(id_type: str) -> Explanation | None:
    """Hong Kong/Macao/Taiwan residents and foreigners apply at a counter, their permit checked in person."""
    if id_type not in COUNTER_DOCUMENTS:
        return None
    return Explanation(
        "请到人社服务窗口办理",
        ["港澳台居民和外籍人员的社保卡需要在窗口当面核验证件。"],
        [f"携带{COUNTER_DOCUMENTS[id_type]}", "到可办理港澳台及外籍人员业务的窗口（见“网点查询”）",
         "工作日9:00-12:00、13:30-17:00，可先拨打12333咨询"],
    )


# Said both when the registry holds no such number and when the name does not go with a registered number:
# one answer for the two, so that nobody can use it to learn whether a stranger's number is registered.
NOT_IN_REGISTRY = Explanation(
    "姓名与身份证号码不匹配，或尚未在社保系统登记",
    ["请核对后重试；仍有问题请拨打12333。",
     "刚把户口迁来中山、刚参保或刚入学的，信息同步需要几个工作日。"],
    ["请按身份证逐字核对姓名（常见写错：李/黎、陈/程等同音字）和号码（字母O和数字0、字母l和数字1）",
     "刚迁入户口或刚参保的，可过几个工作日再试，或在“粤省事”查询社保信息是否已同步",
     "着急用卡的，可带身份证到就近网点办理，或拨打12333咨询"],
)
