"""Decisions by the claimant: approve, return with reasons, refuse; the races; pickup-change requests."""

import datetime

import pytest
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import PickupChangeState
from sscard.applications.services.pickup_changes import request_pickup_change
from sscard.review import autoreview, claims, decisions
from sscard.review.constants import ReviewError
from sscard.review.models import Claim, ReturnReason
from sscard.workdays.services import add_working_days
from tests.factories import ApplicationFactory
from tests.review.conftest import sms_for, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(reviewer, now):
    application = submitted(relationship="parent")
    autoreview.run(application.pk)
    return claims.claim_next(reviewer, now=now)


def refused_with(code: str, call) -> ReviewError:
    with pytest.raises(ReviewError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_approve_by_the_claimant(claimed, reviewer, now):
    decisions.approve(claimed, reviewer, now=now)
    claimed.refresh_from_db()
    assert claimed.state == State.APPROVED
    event = claimed.events.last()
    assert (event.action, event.actor) == ("approve", "staff:reviewer1")
    assert not Claim.objects.filter(application=claimed).exists()
    assert len(sms_for(claimed, "application_approved")) == 1


def test_only_the_claimant_with_a_live_claim_decides(claimed, other_reviewer, reviewer, settings, now):
    error = refused_with("claimed_by_other", lambda: decisions.approve(claimed, other_reviewer, now=now))
    assert "reviewer1" in error.message
    idle = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES + 1)
    refused_with("claim_expired", lambda: decisions.approve(claimed, reviewer, now=idle))
    claimed.refresh_from_db()
    assert claimed.state == State.REVIEWING


def test_a_decision_on_a_case_decided_by_someone_else_meanwhile_is_refused_and_changes_nothing(
    claimed, reviewer, other_reviewer, settings, now
):
    stale_copy = type(claimed).objects.get(pk=claimed.pk)
    idle = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES + 1)
    taken = claims.claim_next(other_reviewer, now=idle)
    decisions.refuse(taken, other_reviewer, "不符合申领条件", now=idle)
    events = claimed.events.count()
    error = refused_with("already_decided", lambda: decisions.approve(stale_copy, reviewer, now=idle))
    assert error.message == "这份申领已由其他审核员处理（当前状态：不予受理），无需重复处理"
    assert claimed.events.count() == events


def test_a_decision_on_a_case_the_citizen_withdrew_meanwhile_is_refused(claimed, reviewer, now):
    lifecycle.perform(type(claimed).objects.get(pk=claimed.pk), "cancel", actor="citizen:1", reason="申领人撤销")
    error = refused_with("withdrawn", lambda: decisions.return_for_correction(claimed, reviewer, ["portrait_background"], now=now))
    assert error.message == "申领人已撤销这份申领，无需再审核"
    claimed.refresh_from_db()
    assert claimed.state == State.CANCELLED


def test_a_case_the_machine_approved_is_reported_as_such(reviewer, now):
    application = submitted()
    autoreview.run(application.pk)
    error = refused_with("already_decided", lambda: decisions.approve(application, reviewer, now=now))
    assert "机器自动审核" in error.message


def test_return_stores_reasons_texts_tips_and_note_and_tells_the_citizen(claimed, reviewer, now):
    decisions.return_for_correction(
        claimed, reviewer, ["portrait_background", "relationship_proof"], "户口本首页也请一并上传", now=now
    )
    claimed.refresh_from_db()
    assert claimed.state == State.RETURNED
    event = claimed.events.last()
    assert event.reason == "证件照背景不是白色；关系证明缺失或看不清"
    background, proof = event.data["return_reasons"]
    assert background == {
        "code": "portrait_background", "title": "证件照背景不是白色", "part": "portrait",
        "citizen_text": "证件照的背景不是白色（或有杂物、阴影）。",
        "fix_tip": "请在白墙前拍摄，或到照相馆拍白底证件照后重新上传。",
    }
    assert proof["part"] == "relationship_proof"
    assert event.data["parts"] == ["portrait", "relationship_proof"]
    assert event.data["note"] == "户口本首页也请一并上传"
    (sms,) = sms_for(claimed, "application_returned")
    assert "需要补正:证件照背景不是白色；关系证明缺失或看不清" in sms.body or "证件照背景不是白色；关系证明缺失或看不清" in sms.body


@pytest.mark.parametrize(
    ("codes", "note", "error_code", "words"),
    [
        ([], "", "reason_required", "至少选择一项原因"),
        (["  "], "照片不好", "reason_required", "至少选择一项原因"),
        (["no_such_reason"], "", "unknown_reason", "“no_such_reason”不存在或已停用"),
        (["other"], "", "note_required", "选择“其他问题”时请在补充说明里写明具体问题"),
    ],
)
def test_a_return_without_a_usable_reason_is_refused(claimed, reviewer, now, codes, note, error_code, words):
    error = refused_with(error_code, lambda: decisions.return_for_correction(claimed, reviewer, codes, note, now=now))
    assert words in error.message
    claimed.refresh_from_db()
    assert claimed.state == State.REVIEWING


def test_a_switched_off_reason_cannot_be_used(claimed, reviewer, now):
    ReturnReason.objects.filter(code="id_expired").update(active=False)
    refused_with("unknown_reason", lambda: decisions.return_for_correction(claimed, reviewer, ["id_expired"], now=now))


def test_every_common_reason_is_seeded_with_citizen_text_and_tip():
    reasons = list(ReturnReason.objects.filter(active=True))
    assert len(reasons) >= 10
    assert {r.part for r in reasons} == {"portrait", "id_front", "id_back", "address", "relationship_proof", "other"}
    for reason in reasons:
        assert reason.citizen_text.endswith("。") and reason.fix_tip.endswith("。"), reason.code
        assert "," not in reason.citizen_text + reason.fix_tip, reason.code  # full-width punctuation


def test_refusal_needs_a_reason(claimed, reviewer, now):
    refused_with("reason_required", lambda: decisions.refuse(claimed, reviewer, "   ", now=now))
    decisions.refuse(claimed, reviewer, "经核实申领人已迁出中山，不符合线上申领条件", now=now)
    claimed.refresh_from_db()
    assert claimed.state == State.REFUSED
    (sms,) = sms_for(claimed, "application_refused")
    assert "经核实申领人已迁出中山" in sms.body


def test_resubmission_restarts_the_due_date(claimed, reviewer, now):
    decisions.return_for_correction(claimed, reviewer, ["address_imprecise"], now=now)
    first_due = claimed.decision_due
    later = timezone.localdate() + datetime.timedelta(days=10)
    lifecycle.perform(claimed, "resubmit", actor="citizen:1", today=later)
    claimed.refresh_from_db()
    assert claimed.state == State.SUBMITTED
    assert claimed.decision_due == add_working_days(later, 3) != first_due


# --- pickup-change requests ---------------------------------------------------------------------


@pytest.fixture
def change():
    application = ApplicationFactory(approved=True)
    return request_pickup_change(
        application, {"pickup_method": "mail", "town": "shiqi", "address_detail": "康华小区2栋1单元301"},
        actor="citizen:1",
    )


def test_pickup_change_accepted_changes_the_address_and_tells_the_citizen(change, reviewer):
    decided = decisions.decide_pickup_change(change, reviewer, True)
    assert decided.state == PickupChangeState.ACCEPTED and decided.decided_by == "staff:reviewer1"
    application = decided.application
    application.refresh_from_db()
    assert application.address_detail == "康华小区2栋1单元301" and application.pickup_changes == 1
    assert len(sms_for(application, "pickup_change_accepted")) == 1


def test_pickup_change_refusal_needs_a_reason_and_is_told(change, reviewer):
    refused_with("reason_required", lambda: decisions.decide_pickup_change(change, reviewer, False, ""))
    decided = decisions.decide_pickup_change(change, reviewer, False, "新地址不在本市投递范围")
    assert decided.state == PickupChangeState.REFUSED
    (sms,) = sms_for(decided.application, "pickup_change_refused")
    assert "新地址不在本市投递范围" in sms.body


def test_pickup_change_decided_twice_says_who_did_it(change, reviewer, other_reviewer):
    decisions.decide_pickup_change(change, reviewer, True)
    error = refused_with("already_decided", lambda: decisions.decide_pickup_change(change, other_reviewer, False, "不行"))
    assert error.message == "这条领卡信息修改申请已由reviewer1处理（已同意），无需重复处理"
