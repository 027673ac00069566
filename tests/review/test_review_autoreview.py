"""Auto-review against the database: one test per rule, the whole path from submission, idempotence, the sweeper."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.cards.constants import CardState
from sscard.cards.models import Card
from sscard.delivery.models import Branch
from sscard.review import autoreview, claims, tasks
from sscard.review.constants import AUTO_REVIEW_ACTOR, RuleCode
from sscard.review.models import AutoReview, ReviewRule
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.review.conftest import add_uploads, sms_for, submitted

pytestmark = pytest.mark.django_db


def failed_codes(application) -> list[str]:
    result = AutoReview.objects.get(application=application)
    return [f["code"] for f in result.failed]


def test_a_clean_application_is_approved_by_the_machine_with_its_reasons_and_the_citizen_is_told():
    application = submitted()
    assert autoreview.run(application.pk) == "approved"
    application.refresh_from_db()
    assert application.state == State.APPROVED
    start, approve = application.events.order_by("id")[2:]
    assert (start.action, start.actor) == ("start_review", AUTO_REVIEW_ACTOR)
    assert (approve.action, approve.actor) == ("approve", AUTO_REVIEW_ACTOR)
    assert approve.reason.startswith("自动审核通过：申领人信息与登记一致")
    assert {f["code"] for f in approve.data["auto_review"]} >= {RuleCode.REGISTRY_MATCH, RuleCode.IMAGES_PASSED}
    assert len(sms_for(application, "application_approved")) == 1
    assert AutoReview.objects.get(application=application).approved


def test_submission_starts_the_check_after_commit(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    add_uploads(application)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(application, "submit", actor="citizen:1")
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert application.events.last().actor == AUTO_REVIEW_ACTOR


def test_a_case_for_a_human_stays_submitted_with_the_findings_and_no_extra_sms(django_capture_on_commit_callbacks):
    application = ApplicationFactory(relationship="parent")
    add_uploads(application)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(application, "submit", actor="citizen:1")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert [e.action for e in application.events.order_by("id")] == ["create", "submit"]
    assert failed_codes(application) == [RuleCode.NO_RELATIONSHIP_PROOF]
    assert "需要人工核对关系证明" in AutoReview.objects.get(application=application).failed[0]["message"]
    # A family application: the acceptance SMS is the one that names the family member, and only that one.
    accepted = sms_for(application, "family_application_accepted")
    assert [n.template_code for n in accepted] == ["family_application_accepted"]
    assert sms_for(application, "application_accepted") == []
    assert sms_for(application, "application_approved") == []


def test_running_twice_or_too_late_changes_nothing():
    human = submitted(relationship="parent")
    assert autoreview.run(human.pk) == "human"
    assert autoreview.run(human.pk) == "skipped:already_done"
    assert AutoReview.objects.filter(application=human).count() == 1

    approved = submitted()
    assert autoreview.run(approved.pk) == "approved"
    events = approved.events.count()
    assert autoreview.run(approved.pk) == "skipped:not_submitted"
    assert approved.events.count() == events

    withdrawn = submitted()
    lifecycle.perform(withdrawn, "cancel", actor="citizen:1")
    assert autoreview.run(withdrawn.pk) == "skipped:not_submitted"
    assert not AutoReview.objects.filter(application=withdrawn).exists()


def test_the_task_runs_the_check():
    application = submitted()
    result = tasks.auto_review.enqueue(application.pk)
    assert result.return_value == "approved"
    application.refresh_from_db()
    assert application.state == State.APPROVED


# --- one test per rule, against the database -----------------------------------------------------


def test_registry_match_person_unknown_to_the_registry():
    person = PersonFactory.build()  # never saved: not in the registry
    draft = lifecycle.create_draft(actor="test", channel="website", person=None, name=person.name,
                                   id_number=person.id_number, phone="13812345678", town="shiqi",
                                   address_detail="幸福小区5栋3单元602", pickup_method="mail")
    add_uploads(draft)
    lifecycle.perform(draft, "submit", actor="citizen:1")
    assert autoreview.run(draft.pk) == "human"
    assert RuleCode.REGISTRY_MATCH in failed_codes(draft) and RuleCode.ELIGIBILITY in failed_codes(draft)


def test_registry_match_name_differs_from_the_registry():
    application = submitted()
    Application.objects.filter(pk=application.pk).update(name="张三丰")
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.REGISTRY_MATCH]


def test_eligibility_not_insured_no_hukou_no_school():
    application = submitted(person=PersonFactory(hukou_region="440100", insurance="none", school=""))
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.ELIGIBILITY]


def test_images_a_failed_photo_check_is_shown_with_its_message():
    problem = {"code": "background_not_white", "message": "背景不是白色", "tip": "请在白墙前拍摄"}
    application = submitted(failing={"portrait": [problem]})
    assert autoreview.run(application.pk) == "human"
    result = AutoReview.objects.get(application=application)
    assert [f["code"] for f in result.failed] == [RuleCode.IMAGES_PASSED]
    assert "证件照未通过检查：背景不是白色" in result.failed[0]["message"]


def test_images_a_missing_photo():
    application = submitted(uploads=False)
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.IMAGES_PASSED]


def test_relationship_proof_for_a_child_goes_to_a_human():
    child = PersonFactory(id_number=make_id_number(born=datetime.date(2016, 5, 1)))
    application = submitted(person=child, relationship="child")
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.NO_RELATIONSHIP_PROOF]


def test_live_card_in_our_cards_table_holds_the_case_back_but_a_void_one_does_not():
    person = PersonFactory()
    Card.objects.create(person=person, card_number="A00000001", state=CardState.VOID)
    clean = submitted(person=person)
    assert autoreview.run(clean.pk) == "approved"

    other = PersonFactory()
    Card.objects.create(person=other, card_number="A00000002", state=CardState.ACTIVE)
    held = submitted(person=other)
    assert autoreview.run(held.pk) == "human"
    assert failed_codes(held) == [RuleCode.NO_LIVE_CARD]


def test_live_card_reported_by_the_registry():
    person = PersonFactory()
    person.existing_cards.create(generation=3, status="normal")
    application = submitted(person=person)
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.NO_LIVE_CARD]


def test_duplicate_application_finished_ones_do_not_count():
    person = PersonFactory()
    ApplicationFactory(person=person, refused=True)
    application = submitted(person=person)
    assert autoreview.gather_facts(application, timezone.localdate()).other_open_applications == 0
    assert autoreview.run(application.pk) == "approved"


def test_address_not_precise_to_the_door():
    application = submitted(address_detail="幸福路")
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.ADDRESS_PRECISE]


def test_pickup_at_a_branch_that_has_closed():
    branch = Branch.objects.create(code="T001", name="测试网点", kind="bank", town="shiqi", address="孙文中路1号",
                                   opening_hours="9:00-17:00", active=False)
    application = submitted(pickup_method="branch", branch=branch)
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.PICKUP_VALID]


def test_a_resubmission_after_a_return_goes_to_a_human():
    application = ApplicationFactory(returned=True)
    add_uploads(application)
    lifecycle.perform(application, "resubmit", actor="citizen:1")
    assert autoreview.run(application.pk) == "human"
    assert failed_codes(application) == [RuleCode.NOT_RETURNED_BEFORE]


def test_rules_are_switched_in_the_table():
    ReviewRule.objects.filter(code=RuleCode.ADDRESS_PRECISE).update(enabled=False)
    vague = submitted(address_detail="幸福路")
    assert autoreview.run(vague.pk) == "approved"

    ReviewRule.objects.filter(code=RuleCode.AUTO_APPROVAL).update(enabled=False)
    clean = submitted()
    assert autoreview.run(clean.pk) == "human"
    assert failed_codes(clean) == [RuleCode.AUTO_APPROVAL]


def test_every_rule_is_seeded_with_a_chinese_title():
    titles = dict(ReviewRule.objects.values_list("code", "title"))
    assert set(titles) == set(RuleCode.values)
    assert all(titles.values()) and titles[RuleCode.REGISTRY_MATCH] == "申领人信息与登记一致"


# --- the sweeper --------------------------------------------------------------------------------


def test_sweeper_requeues_a_lost_check_only_after_the_wait(settings):
    application = submitted()  # on-commit work not run: as if the task was lost
    now = timezone.now()
    assert tasks.requeue_lost_auto_reviews(now) == 0  # too fresh: its task may still be on the way
    later = now + datetime.timedelta(seconds=settings.REVIEW_AUTO_REVIEW_WAIT + 1)
    assert tasks.requeue_lost_auto_reviews(later) == 1
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert tasks.requeue_lost_auto_reviews(later) == 0


def test_sweeper_leaves_checked_and_released_cases_alone(settings, reviewer):
    human = submitted(relationship="parent")
    autoreview.run(human.pk)
    released = submitted()
    claimed = claims.claim(released, reviewer)
    claims.release(claimed, reviewer)
    later = timezone.now() + datetime.timedelta(seconds=settings.REVIEW_AUTO_REVIEW_WAIT + 1)
    assert tasks.requeue_lost_auto_reviews(later) == 0
    released.refresh_from_db()
    assert released.state == State.SUBMITTED  # a reviewer had it: people decide this round


def test_review_sweep_command_reports_what_it_did():
    out = StringIO()
    call_command("review_sweep", stdout=out)
    assert "重新排队：0份" in out.getvalue()
