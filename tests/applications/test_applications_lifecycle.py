import pytest
from django.db import IntegrityError, transaction

from sscard.applications import lifecycle
from sscard.applications.constants import FINAL_STATES, State
from sscard.applications.models import Application, ApplicationEvent
from sscard.common.statemachine import TransitionNotAllowed
from sscard.notifications import dao as notifications_dao
from tests.factories import PATHS, ApplicationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ALL_ACTIONS = sorted(lifecycle.TABLE.by_action)


@pytest.mark.parametrize("state", list(PATHS))
def test_every_state_is_reachable_and_explained_by_its_history(state):
    application = ApplicationFactory(state=state)
    application.refresh_from_db()
    assert application.state == state
    events = list(application.events.order_by("id"))
    assert events[0].action == "create"
    assert [e.action for e in events[1:]] == PATHS[state]
    assert events[-1].to_state == state
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_actions_outside_the_table_are_refused_clearly(state, action):
    allowed = lifecycle.TABLE.allowed_actions(state)
    if action in allowed:
        return
    application = ApplicationFactory(state=state)
    events_before = application.events.count()
    with pytest.raises(TransitionNotAllowed) as caught:
        lifecycle.perform(application, action, actor="test")
    label = State(state).label
    assert caught.value.message.startswith(f"当前状态为“{label}”，不能")
    application.refresh_from_db()
    assert application.state == state
    assert application.events.count() == events_before


def test_final_states_have_no_way_out():
    for state in FINAL_STATES:
        assert lifecycle.TABLE.allowed_actions(state) == []


def test_submit_allocates_an_acceptance_number_a_due_date_and_an_sms():
    application = ApplicationFactory(submitted=True)
    assert application.acceptance_number.startswith("ZS")
    assert application.decision_due is not None
    [sms] = notifications_dao.for_reference("application", application.pk)
    assert sms.template_code == "application_accepted"
    assert f"您的申领已受理，编号{application.acceptance_number}" in sms.body
    assert sms.body.startswith("【中山人社】")


def test_resubmission_keeps_the_acceptance_number():
    application = ApplicationFactory(returned=True)
    number = application.acceptance_number
    lifecycle.perform(application, "resubmit", actor="citizen:1")
    assert application.acceptance_number == number
    assert application.state == State.SUBMITTED


def test_return_reason_reaches_the_history_and_the_sms():
    application = ApplicationFactory(reviewing=True)
    lifecycle.perform(application, "return_for_correction", actor="staff:reviewer", reason="照片背景不是白色")
    event = application.events.last()
    assert (event.actor, event.reason, event.to_state) == ("staff:reviewer", "照片背景不是白色", State.RETURNED)
    assert "照片背景不是白色" in notifications_dao.for_reference("application", application.pk)[0].body


def test_event_rows_are_append_only():
    application = ApplicationFactory(submitted=True)
    event = application.events.last()
    event.reason = "改写历史"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_a_stale_copy_cannot_overwrite_a_newer_state():
    application = ApplicationFactory(reviewing=True)
    stale = Application.objects.get(pk=application.pk)
    lifecycle.perform(application, "approve", actor="staff:a")
    with pytest.raises(TransitionNotAllowed) as caught:
        lifecycle.perform(stale, "refuse", actor="staff:b")
    assert "刚被其他人处理过" in caught.value.message
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert ApplicationEvent.objects.filter(application=application, action="refuse").count() == 0


def test_one_open_application_per_person_is_enforced_by_the_database():
    person = PersonFactory()
    ApplicationFactory(person=person, submitted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(person=person)


def test_a_new_application_is_possible_after_the_last_one_ended():
    person = PersonFactory()
    ApplicationFactory(person=person, cancelled=True)
    ApplicationFactory(person=person, refused=True)
    assert ApplicationFactory(person=person, submitted=True).state == State.SUBMITTED
