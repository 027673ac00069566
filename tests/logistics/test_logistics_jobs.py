"""Cards waiting at a branch: reminders and the unclaimed return on fixed dates; the demo's simulated courier."""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.applications.services import progress
from sscard.delivery.constants import PickupMethod
from sscard.logistics import jobs
from sscard.logistics.constants import EventKind, Source
from sscard.logistics.models import LogisticsEvent
from sscard.logistics.services import apply_event, collect
from sscard.notifications.models import Notification
from sscard.scheduling import JOBS
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

ZS = ZoneInfo("Asia/Shanghai")
ARRIVED = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=ZS)


def day(n: int, hour: int = 10) -> datetime.datetime:
    """``n`` days after the card reached the branch, at the daily job's hour."""
    return (ARRIVED + datetime.timedelta(days=n)).replace(hour=hour)


@pytest.fixture
def waiting_card(produced_card, settings):
    settings.CARD_COLLECTION_REMINDER_DAYS = [30, 90]
    settings.CARD_UNCLAIMED_RETURN_DAYS = 365
    card = produced_card(PickupMethod.BRANCH)
    with mock.patch("django.utils.timezone.now", return_value=ARRIVED):
        apply_event(card, "branch_received", ARRIVED, source=Source.FILE, actor="test")
    return card


def sms(template: str) -> list[Notification]:
    return list(Notification.objects.filter(template_code=template))


def test_reminders_at_30_and_90_days_then_sealed_after_365(waiting_card):
    run = jobs.remind_and_return_unclaimed
    assert run(day(29))["reminded"] == 0
    assert run(day(30))["reminded"] == 1
    assert run(day(31))["reminded"] == 0  # once
    [reminder] = sms("card_collection_reminder")
    assert "存放30天" in reminder.body and "2027年01月10日前仍未领取" in reminder.body

    assert run(day(90))["reminded"] == 1
    assert run(day(364)) == {"checked": 1, "reminded": 0, "returned": 0}
    assert run(day(365))["returned"] == 1
    assert run(day(400)) == {"checked": 1, "reminded": 0, "returned": 0}

    [sealed] = sms("card_returned_unclaimed")
    assert "超过365天未领取，已退回封存" in sealed.body
    assert len(sms("card_collection_reminder")) == 2
    application = Application.objects.get(pk=waiting_card.application_id)
    timeline = [(entry.label, entry.detail) for entry in progress.timeline(application) if entry.done]
    assert ("逾期未领取，卡片已退回封存", "请携带身份证到人社服务窗口办理领取") in timeline
    assert timeline.count(("已短信提醒领卡", "")) == 2

    # At a counter the sealed card is still handed over.
    collect(application, StaffUserFactory(role="clerk"))
    assert application.state == State.COLLECTED


def test_a_job_that_missed_days_sends_only_the_latest_reminder(waiting_card):
    assert jobs.remind_and_return_unclaimed(day(100))["reminded"] == 1
    assert jobs.remind_and_return_unclaimed(day(101))["reminded"] == 0
    assert list(LogisticsEvent.objects.filter(event=EventKind.COLLECTION_REMINDER).values_list("key", flat=True)) == ["90"]


def test_a_collected_card_gets_no_reminder(waiting_card):
    collect(Application.objects.get(pk=waiting_card.application_id), StaffUserFactory(role="clerk"))
    assert jobs.remind_and_return_unclaimed(day(30)) == {"checked": 0, "reminded": 0, "returned": 0}


def test_the_simulator_moves_produced_cards_along_step_by_step(produced_card, settings):
    mail_card = produced_card(PickupMethod.MAIL)
    branch_card = produced_card(PickupMethod.BRANCH)
    settings.CARD_MAKER_SIMULATOR = False
    assert jobs.simulate_logistics(day(400)) == {"enabled": 0}

    settings.CARD_MAKER_SIMULATOR = True
    states = []
    now = datetime.datetime.now(tz=ZS)
    for minute in range(1, 5):
        later = now + datetime.timedelta(minutes=minute)
        with mock.patch("django.utils.timezone.now", return_value=later):
            jobs.simulate_logistics(later)
        states.append(tuple(Application.objects.get(pk=c.application_id).state for c in (mail_card, branch_card)))
    assert states == [
        (State.PRODUCED, State.PRODUCED),  # the bank signed for both
        (State.MAILED, State.AT_BRANCH),
        (State.DELIVERED, State.AT_BRANCH),
        (State.DELIVERED, State.AT_BRANCH),
    ]
    assert LogisticsEvent.objects.filter(event=EventKind.BANK_RECEIVED).count() == 2
    mail_card.refresh_from_db()
    assert mail_card.handed_over_at is not None
    assert f"SF{mail_card.pk:013d}" in sms("card_mailed")[0].body


def test_jobs_are_registered_for_the_scheduler():
    assert JOBS["logistics.unclaimed_cards"].daily_at == datetime.time(10, 0)
    assert JOBS["logistics.simulate"].every_seconds == 20
