"""Auto-review rules (pure): facts about one submitted application in, a verdict and findings out.

Each rule answers one question a reviewer would ask and says, in Chinese, why it passed or not. The
machine approves only when every enabled rule passes and the master switch (``auto_approval``) is on;
otherwise the findings go to a human reviewer beside the images. ``autoreview`` gathers the facts from
the database; nothing here touches it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from sscard.applications import eligibility
from sscard.applications.constants import Relationship
from sscard.review.constants import RuleCode


@dataclass(frozen=True)
class UploadFacts:
    label: str
    ok: bool
    problems: tuple[str, ...] = ()  # the check's Chinese messages


@dataclass(frozen=True)
class Facts:
    relationship: str = Relationship.SELF
    in_registry: bool = False
    name_matches: bool = False
    id_matches: bool = False
    # The registry facts for the eligibility rules; None when the person is not in the registry.
    eligibility: eligibility.Facts | None = None
    required_uploads: Mapping[str, str] = field(default_factory=dict)  # kind -> label
    uploads: Mapping[str, UploadFacts] = field(default_factory=dict)  # kind -> what is on file
    live_cards: int = 0  # cards of this person in our card table that are not void or formally lost
    registry_third_generation_card: bool = False  # the card system reports a normal 3rd-generation card
    other_open_applications: int = 0
    address_errors: tuple[str, ...] = ()
    pickup_errors: tuple[str, ...] = ()
    returned_before: bool = False  # a reviewer returned it in an earlier round


@dataclass(frozen=True)
class Finding:
    code: str
    title: str
    ok: bool
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "ok": self.ok, "message": self.message}


@dataclass(frozen=True)
class Verdict:
    approve: bool
    findings: list[Finding]

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    def summary(self) -> str:
        """One line for the event's reason: what the machine checked, or what it left to a human."""
        if self.approve:
            return "自动审核通过：" + "、".join(f.title for f in self.findings)
        return "转人工审核：" + "；".join(f.message for f in self.failed)


Check = Callable[[Facts], tuple[bool, str]]


def _registry_match(facts: Facts) -> tuple[bool, str]:
    if not facts.in_registry:
        return False, "登记库中查不到申领人（可能刚迁入户籍或刚参保），请人工核实"
    if not facts.id_matches:
        return False, "申领的证件号码与登记库中的不一致"
    if not facts.name_matches:
        return False, "申领姓名与登记库中的不一致"
    return True, "姓名和证件号码与登记库一致"


def _eligibility(facts: Facts) -> tuple[bool, str]:
    if facts.eligibility is None:
        return False, "查不到登记信息，无法判断是否符合线上申领条件"
    # Holding a card is its own rule (no_live_card); here only who may apply online.
    result = eligibility.assess(dataclasses.replace(facts.eligibility, has_valid_third_generation_card=False))
    detail = "、".join(result.reasons) if result.may_apply_online else "；".join(result.reasons)
    if result.may_apply_online:
        return True, f"可以线上申领（{detail}）"
    return False, f"{result.title}：{detail}" if detail else result.title


def _images_passed(facts: Facts) -> tuple[bool, str]:
    problems = []
    for kind, label in facts.required_uploads.items():
        upload = facts.uploads.get(kind)
        if upload is None:
            problems.append(f"缺少{label}")
        elif not upload.ok:
            detail = "；".join(upload.problems) or "未通过检查"
            problems.append(f"{label}未通过检查：{detail}")
    if problems:
        return False, "；".join(problems)
    return True, "、".join(facts.required_uploads.values()) + "均已通过检查"


def _no_relationship_proof(facts: Facts) -> tuple[bool, str]:
    if facts.relationship == Relationship.SELF:
        return True, "本人申领，无需关系证明"
    label = Relationship(facts.relationship).label
    return False, f"{label}，需要人工核对关系证明（户口本等）"


def _no_live_card(facts: Facts) -> tuple[bool, str]:
    if facts.live_cards:
        return False, f"申领人名下已有{facts.live_cards}张未作废的社保卡，请核实是否应办理补换卡"
    if facts.registry_third_generation_card:
        return False, "卡管系统显示申领人已持有正常状态的第三代社保卡，请核实是否应办理补换卡"
    return True, "名下没有其他有效的第三代社保卡"


def _no_duplicate_application(facts: Facts) -> tuple[bool, str]:
    if facts.other_open_applications:
        return False, f"同一证件号码还有{facts.other_open_applications}份在办申领，请核实是否重复申领"
    return True, "没有其他在办申领"


def _address_precise(facts: Facts) -> tuple[bool, str]:
    if facts.address_errors:
        return False, "联系地址有问题：" + "；".join(facts.address_errors)
    return True, "联系地址为中山市镇街且精确到门牌"


def _pickup_valid(facts: Facts) -> tuple[bool, str]:
    if facts.pickup_errors:
        return False, "领卡方式有问题：" + "；".join(facts.pickup_errors)
    return True, "领卡方式有效"


def _not_returned_before(facts: Facts) -> tuple[bool, str]:
    if facts.returned_before:
        return False, "这份申领曾被退回补正，补正后的材料需要人工复核"
    return True, "首次提交"


CHECKS: dict[str, Check] = {
    RuleCode.REGISTRY_MATCH: _registry_match,
    RuleCode.ELIGIBILITY: _eligibility,
    RuleCode.IMAGES_PASSED: _images_passed,
    RuleCode.NO_RELATIONSHIP_PROOF: _no_relationship_proof,
    RuleCode.NO_LIVE_CARD: _no_live_card,
    RuleCode.NO_DUPLICATE_APPLICATION: _no_duplicate_application,
    RuleCode.ADDRESS_PRECISE: _address_precise,
    RuleCode.PICKUP_VALID: _pickup_valid,
    RuleCode.NOT_RETURNED_BEFORE: _not_returned_before,
}
ALL_RULES = frozenset(RuleCode.values)


def evaluate(
    facts: Facts, enabled: Collection[str] = ALL_RULES, titles: Mapping[str, str] | None = None
) -> Verdict:
    """Run the enabled rules. ``titles`` are the administrator's wording (default: the built-in labels)."""
    titles = titles or {}
    findings = [
        Finding(code, titles.get(code) or RuleCode(code).label, *check(facts))
        for code, check in CHECKS.items()
        if code in enabled
    ]
    approve = all(f.ok for f in findings)
    if RuleCode.AUTO_APPROVAL not in enabled:
        approve = False
        findings.append(Finding(
            RuleCode.AUTO_APPROVAL, titles.get(RuleCode.AUTO_APPROVAL) or RuleCode.AUTO_APPROVAL.label, False,
            "机器自动审核通过已关闭，全部由人工审核",
        ))
    return Verdict(approve, findings)
