"""Who may apply online, and what to do otherwise (pure; the seed's rules).

Online: Zhongshan 户籍, or insured in Zhongshan (employee or resident), or a student at a
Zhongshan school. Residence permits and foreigners' IDs go to a counter; under 16 a guardian
applies; someone holding a valid third-generation card (a live card in our cards table, or one in the
registry's list of cards issued before) is sent to 我的社保卡 for loss/replacement instead; someone whose
card was formally reported lost applies for a replacement (补卡) from there.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sscard.registry import absence


class Verdict(enum.StrEnum):
    ONLINE = "online"
    GUARDIAN = "guardian"
    COUNTER_PERMIT = "counter_permit"
    NOT_IN_REGISTRY = "not_in_registry"
    HAS_CARD = "has_card"
    REPLACEMENT = "replacement"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True)
class Facts:
    in_registry: bool
    id_type: str = "resident"
    age: int | None = None
    local_hukou: bool = False
    insurance: str = "none"  # employee | resident | none
    school: str = ""
    has_valid_third_generation_card: bool = False
    has_formally_lost_card: bool = False
    applying_for_self: bool = True


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    title: str
    reasons: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    @property
    def may_apply_online(self) -> bool:
        """Whether the person asked about may apply online now (a minor: only through a guardian)."""
        return self.verdict == Verdict.ONLINE


def assess(facts: Facts) -> Eligibility:
    counter = absence.counter_only(facts.id_type)
    if counter is not None:
        return Eligibility(Verdict.COUNTER_PERMIT, counter.title, counter.reasons, counter.next_steps)
    if not facts.in_registry:
        absent = absence.NOT_IN_REGISTRY
        return Eligibility(Verdict.NOT_IN_REGISTRY, absent.title, absent.reasons, absent.next_steps)
    if facts.has_valid_third_generation_card:
        return Eligibility(
            Verdict.HAS_CARD,
            "您已经有一张有效的第三代社保卡",
            ["每人只能持有一张有效的社保卡。"],
            ["卡丢了：先办理挂失，再申请补卡", "卡坏了：可申请换卡", "忘记是否激活：可在“我的社保卡”查看"],
        )
    if facts.has_formally_lost_card:
        return Eligibility(
            Verdict.REPLACEMENT,
            "您的社保卡已正式挂失，可以申请补卡",
            ["正式挂失的卡不能再使用，补卡后旧卡作废。"],
            ["在“我的社保卡”中点“补换卡”，联系方式、地址和领卡方式会按上次申领自动填好"],
        )
    reasons = []
    if facts.local_hukou:
        reasons.append("户籍在中山")
    if facts.insurance in ("employee", "resident"):
        reasons.append("在中山参加" + ("职工社保" if facts.insurance == "employee" else "城乡居民社保"))
    if facts.school:
        reasons.append(f"在中山读书（{facts.school}）")
    if not reasons:
        return Eligibility(
            Verdict.NOT_ELIGIBLE,
            "暂不符合线上申领条件",
            ["线上申领面向中山户籍、在中山参保（职工或居民社保）或在中山读书的人员。"],
            ["在中山参保后即可线上申领", "如信息有误，请拨打12333或到网点核实"],
        )
    if facts.age is not None and facts.age < 16 and facts.applying_for_self:
        return Eligibility(
            Verdict.GUARDIAN,
            "未满16周岁，需由监护人代办",
            reasons,
            ["请父母或其他监护人登录自己的账号，在“亲情代办”中为孩子申领", "需上传户口本或出生医学证明等监护关系证明"],
        )
    return Eligibility(Verdict.ONLINE, "可以线上申领", reasons, ["准备好身份证正反面照片和近6个月的白底证件照"])
