"""The eligibility rules (pure): who may apply online, and what everyone else is told to do."""

import pytest

from sscard.applications.eligibility import Facts, Verdict, assess


@pytest.mark.parametrize(
    ("facts", "verdict", "words"),
    [
        (Facts(True, local_hukou=True, age=40), Verdict.ONLINE, "户籍在中山"),
        (Facts(True, insurance="employee", age=30), Verdict.ONLINE, "职工社保"),
        (Facts(True, insurance="resident", age=70), Verdict.ONLINE, "城乡居民社保"),
        (Facts(True, school="中山纪念中学", age=17), Verdict.ONLINE, "在中山读书"),
        (Facts(False, age=30), Verdict.NOT_IN_REGISTRY, "刚把户口迁来中山"),
        (Facts(True, local_hukou=True, age=10), Verdict.GUARDIAN, "监护人"),
        (Facts(True, age=30), Verdict.NOT_ELIGIBLE, "在中山参保后"),
        (Facts(True, local_hukou=True, age=30, has_valid_third_generation_card=True), Verdict.HAS_CARD, "挂失"),
        (Facts(False, id_type="hk_macao_resident"), Verdict.COUNTER_PERMIT, "港澳居民居住证原件"),
        (Facts(False, id_type="taiwan_resident"), Verdict.COUNTER_PERMIT, "台湾居民居住证原件"),
        (Facts(True, id_type="foreign_permanent", insurance="employee"), Verdict.COUNTER_PERMIT, "护照"),
    ],
)
def test_verdicts_explain_themselves(facts, verdict, words):
    result = assess(facts)
    assert result.verdict == verdict
    assert words in result.title + "".join(result.reasons + result.next_steps)
    assert result.may_apply_online == (verdict == Verdict.ONLINE)


def test_a_guardian_applying_for_a_child_is_online():
    assert assess(Facts(True, local_hukou=True, age=10, applying_for_self=False)).verdict == Verdict.ONLINE
