"""Deadlines in working days (statutory holidays and 调休 count) and the overdue job."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application, ApplicationEvent
from sscard.review import autoreview, claims, decisions, queries, sla
from sscard.review.models import OverdueFlag
from sscard.workdays.calendar import WorkCalendar
from sscard.workdays.models import CalendarDay
from sscard.workdays.services import current_calendar
from tests.factories import ApplicationFactory
from tests.review.conftest import sms_for, submitted

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
# National Day 2025: 1–8 October off (weekdays 1, 2, 3, 6, 7, 8), Saturday 11 October worked.
NATIONAL_DAY = {D(2025, 10, d): False for d in (1, 2, 3, 6, 7, 8)} | {D(2025, 10, 11): True}
SUBMITTED_ON = D(2025, 9, 29)  # a Monday


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_due_and_overdue_without_holidays():
    plain = WorkCalendar()
    assert sla.due_date(SUBMITTED_ON, plain) == D(2025, 10, 2)
    assert sla.last_day_in_time(SUBMITTED_ON, plain, 5) == D(2025, 10, 6)
    assert not sla.is_overdue(SUBMITTED_ON, D(2025, 10, 6), plain, 5)
    assert sla.is_overdue(SUBMITTED_ON, D(2025, 10, 7), plain, 5)


def test_due_and_overdue_across_national_day():
    calendar = WorkCalendar(NATIONAL_DAY)
    # 30 Sep, 9 Oct, 10 Oct are working days 1–3; Saturday 11 Oct (调休) is 4; Monday 13 Oct is 5.
    assert sla.due_date(SUBMITTED_ON, calendar) == D(2025, 10, 10)
    assert sla.last_day_in_time(SUBMITTED_ON, calendar, 5) == D(2025, 10, 13)
    assert not sla.is_overdue(SUBMITTED_ON, D(2025, 10, 7), calendar, 5)
    assert not sla.is_overdue(SUBMITTED_ON, D(2025, 10, 13), calendar, 5)
    assert sla.is_overdue(SUBMITTED_ON, D(2025, 10, 14), calendar, 5)
    assert sla.apology_date(D(2025, 10, 14), calendar, 2) == D(2025, 10, 16)


@pytest.fixture
def holidays(db):
    for day, working in NATIONAL_DAY.items():
        CalendarDay.objects.create(date=day, is_working_day=working, name="国庆节")


def submitted_on(day: datetime.date, **fields) -> Application:
    """Submitted on ``day`` (the event's time moved back to that morning) and left to a human."""
    application = submitted(relationship="parent", **fields)
    Application.objects.filter(pk=application.pk).update(decision_due=sla.due_date(day, WorkCalendar(NATIONAL_DAY)))
    ApplicationEvent.objects.filter(application=application, action="submit").update(created_at=at(day))
    autoreview.run(application.pk, now=at(day, 10))
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_the_promise_made_on_submission_is_the_sla_due_date(holidays):
    application = ApplicationFactory()
    lifecycle.perform(application, "submit", actor="citizen:1", today=SUBMITTED_ON)
    assert application.decision_due == sla.due_date(SUBMITTED_ON, current_calendar()) == D(2025, 10, 10)


@pytest.mark.django_db
def test_overdue_is_flagged_once_after_five_working_days_counting_the_holiday(holidays):
    application = submitted_on(SUBMITTED_ON)
    assert application.decision_due == D(2025, 10, 10)

    assert sla.flag_overdue(at(D(2025, 10, 7)))["flagged"] == 0  # five calendar-working days, but a holiday week
    assert sla.flag_overdue(at(D(2025, 10, 13), 18))["flagged"] == 0  # the fifth working day: still in time
    assert sla.flag_overdue(at(D(2025, 10, 14)))["flagged"] == 1
    flag = OverdueFlag.objects.get(application=application)
    assert (flag.submitted_on, flag.overdue_since, flag.new_date) == (SUBMITTED_ON, D(2025, 10, 14), D(2025, 10, 16))
    (sms,) = sms_for(application, "overdue_apology")
    assert "预计10月16日前完成" in sms.body

    assert sla.flag_overdue(at(D(2025, 10, 15)))["flagged"] == 0
    assert len(sms_for(application, "overdue_apology")) == 1
    application.refresh_from_db()
    assert application.state == State.SUBMITTED  # no change of state


@pytest.mark.django_db
def test_overdue_counts_while_a_reviewer_holds_it_and_stops_with_the_decision(holidays, reviewer):
    held = submitted_on(SUBMITTED_ON)
    decided = submitted_on(SUBMITTED_ON)
    claims.claim(held, reviewer, now=at(D(2025, 10, 9)))
    claims.claim(decided, reviewer, now=at(D(2025, 10, 9)))
    decisions.approve(decided, reviewer, now=at(D(2025, 10, 9)))
    assert sla.flag_overdue(at(D(2025, 10, 14)))["flagged"] == 1
    assert [f.application_id for f in queries.overdue_list()] == [held.pk]
    assert sms_for(decided, "overdue_apology") == []


@pytest.mark.django_db
def test_a_resubmission_is_a_new_round_with_its_own_deadline(holidays, reviewer):
    application = submitted_on(SUBMITTED_ON)
    sla.flag_overdue(at(D(2025, 10, 14)))
    claims.claim(application, reviewer, now=at(D(2025, 10, 14)))
    decisions.return_for_correction(application, reviewer, ["address_imprecise"], now=at(D(2025, 10, 14)))
    assert queries.overdue_list() == []
    lifecycle.perform(application, "resubmit", actor="citizen:1", today=D(2025, 10, 15))
    ApplicationEvent.objects.filter(application=application, action="resubmit").update(created_at=at(D(2025, 10, 15)))
    assert sla.flag_overdue(at(D(2025, 10, 20)))["flagged"] == 0  # new round: in time again
    assert sla.flag_overdue(at(D(2025, 10, 23)))["flagged"] == 1
    assert OverdueFlag.objects.filter(application=application).count() == 2
    assert len(sms_for(application, "overdue_apology")) == 2
    assert [f.submitted_on for f in queries.overdue_list()] == [D(2025, 10, 15)]


@pytest.mark.django_db
def test_review_overdue_command(holidays):
    out = StringIO()
    call_command("review_overdue", stdout=out)
    assert "超过5个工作日未审结：检查0份，新标记超期0份" in out.getvalue()
