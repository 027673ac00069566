"""The auto-review rules as a table: facts in, verdict and Chinese findings out (no database)."""

import dataclasses

import pytest

from sscard.applications import eligibility
from sscard.review import rules
from sscard.review.constants import RuleCode

REQUIRED = {"id_front": "身份证人像面", "id_back": "身份证国徽面", "portrait": "证件照"}
GOOD = rules.Facts(
    relationship="self",
    in_registry=True,
    name_matches=True,
    id_matches=True,
    eligibility=eligibility.Facts(in_registry=True, age=35, local_hukou=True, insurance="employee"),
    required_uploads=REQUIRED,
    uploads={kind: rules.UploadFacts(label, True) for kind, label in REQUIRED.items()},
)


def test_a_clean_application_is_approved_with_every_rule_as_its_reason():
    verdict = rules.evaluate(GOOD)
    assert verdict.approve
    assert [f.code for f in verdict.findings] == [c for c in RuleCode.values if c != RuleCode.AUTO_APPROVAL]
    assert all(f.ok for f in verdict.findings)
    assert verdict.summary().startswith("自动审核通过：申领人信息与登记一致、符合线上申领条件")


# (what differs from a clean application, the rule that must fail, words the reviewer must read)
CASES = [
    (dict(in_registry=False, name_matches=False, id_matches=False, eligibility=None),
     RuleCode.REGISTRY_MATCH, "登记库中查不到申领人"),
    (dict(name_matches=False), RuleCode.REGISTRY_MATCH, "姓名与登记库中的不一致"),
    (dict(id_matches=False), RuleCode.REGISTRY_MATCH, "证件号码与登记库中的不一致"),
    (dict(eligibility=eligibility.Facts(in_registry=True, age=35)), RuleCode.ELIGIBILITY, "暂不符合线上申领条件"),
    (dict(eligibility=eligibility.Facts(in_registry=True, age=12, local_hukou=True)),
     RuleCode.ELIGIBILITY, "未满16周岁"),
    (dict(eligibility=eligibility.Facts(in_registry=True, id_type="hk_macao_resident", local_hukou=True)),
     RuleCode.ELIGIBILITY, "请到人社服务窗口办理"),
    (dict(uploads={"id_front": rules.UploadFacts("身份证人像面", True), "id_back": rules.UploadFacts("身份证国徽面", True)}),
     RuleCode.IMAGES_PASSED, "缺少证件照"),
    (dict(uploads={**GOOD.uploads, "portrait": rules.UploadFacts("证件照", False, ("背景不是白色",))}),
     RuleCode.IMAGES_PASSED, "证件照未通过检查：背景不是白色"),
    (dict(relationship="parent"), RuleCode.NO_RELATIONSHIP_PROOF, "为父母代办，需要人工核对关系证明"),
    (dict(relationship="child"), RuleCode.NO_RELATIONSHIP_PROOF, "需要人工核对关系证明"),
    (dict(live_cards=1), RuleCode.NO_LIVE_CARD, "名下已有1张未作废的社保卡"),
    (dict(registry_third_generation_card=True), RuleCode.NO_LIVE_CARD, "卡管系统显示申领人已持有"),
    (dict(other_open_applications=1), RuleCode.NO_DUPLICATE_APPLICATION, "还有1份在办申领"),
    (dict(address_errors=("请写到门牌号",)), RuleCode.ADDRESS_PRECISE, "联系地址有问题：请写到门牌号"),
    (dict(pickup_errors=("这个网点不存在或已停止营业",)), RuleCode.PICKUP_VALID, "网点不存在或已停止营业"),
    (dict(returned_before=True), RuleCode.NOT_RETURNED_BEFORE, "曾被退回补正"),
]


@pytest.mark.parametrize(("change", "code", "words"), CASES)
def test_each_rule_sends_its_case_to_a_human_and_says_why(change, code, words):
    verdict = rules.evaluate(dataclasses.replace(GOOD, **change))
    assert not verdict.approve
    failed = {f.code: f for f in verdict.failed}
    assert code in failed, [f.to_dict() for f in verdict.failed]
    assert words in failed[code].message
    assert failed[code].message in verdict.summary() and verdict.summary().startswith("转人工审核：")


@pytest.mark.parametrize(("change", "code", "words"), CASES)
def test_a_rule_switched_off_no_longer_holds_a_case_back(change, code, words):
    # Some changes break more than one rule (not in the registry: no eligibility either); switch those off too.
    broken = {f.code for f in rules.evaluate(dataclasses.replace(GOOD, **change)).failed}
    verdict = rules.evaluate(dataclasses.replace(GOOD, **change), rules.ALL_RULES - broken)
    assert verdict.approve and code not in {f.code for f in verdict.findings}


def test_children_applied_for_by_a_guardian_are_eligible_but_need_the_proof_checked():
    child = dataclasses.replace(
        GOOD, relationship="child",
        eligibility=eligibility.Facts(in_registry=True, age=9, local_hukou=True, applying_for_self=False),
    )
    verdict = rules.evaluate(child)
    assert [f.code for f in verdict.failed] == [RuleCode.NO_RELATIONSHIP_PROOF]


def test_a_held_card_is_its_own_finding_not_an_eligibility_failure():
    facts = dataclasses.replace(
        GOOD, registry_third_generation_card=True,
        eligibility=dataclasses.replace(GOOD.eligibility, has_valid_third_generation_card=True),
    )
    assert [f.code for f in rules.evaluate(facts).failed] == [RuleCode.NO_LIVE_CARD]


def test_master_switch_off_keeps_the_checks_but_never_approves():
    verdict = rules.evaluate(GOOD, rules.ALL_RULES - {RuleCode.AUTO_APPROVAL})
    assert not verdict.approve
    assert [f.code for f in verdict.failed] == [RuleCode.AUTO_APPROVAL]
    assert "全部由人工审核" in verdict.failed[0].message


def test_administrator_titles_are_used():
    verdict = rules.evaluate(GOOD, titles={RuleCode.REGISTRY_MATCH: "人员信息比对"})
    assert verdict.findings[0].title == "人员信息比对"
