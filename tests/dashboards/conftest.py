"""A small hand-built history with known times, made through the real lifecycle and review services.

The period is Monday 3 – Sunday 9 March 2025 (Asia/Shanghai). Each step runs with the clock set to the
moment written beside it, so events carry exactly those times.

    A1 官网 石岐   submit 03-03 10:00:00, machine approves 10 s later
    A2 H5  东区   submit 03-03 11:00:00, machine approves 20 s later
    A3 粤省事 石岐 submit 03-04 09:00:00, machine approves 30 s later
    A4 官网 小榄   submit 03-04 09:00, alice approves 11:00                      (2 h)
    A5 粤省事 东区 submit 03-05 09:00, bob returns 13:00 (背景, 地址)           (4 h)
                  resubmit 03-06 08:00, alice approves 09:00                     (1 h; the round starts at the resubmission)
    A6 窗口 石岐   submit 03-07 09:00, bob returns 09:30 (背景)                  (0.5 h)
    A7 官网 石岐   submit 03-06 07:30 local (= 03-05 23:30 UTC: counted on the 6th), still waiting, flagged overdue 03-09
    (A6's round is flagged too, on 03-08, though it has since been decided: flagged 2, overdue now 1)
    A8 官网 石岐   submit 03-10 00:01 local: outside the period

Expected: 7 applications in the period; machine decisions 10/20/30 s → median 20 s, 90th percentile 28 s;
people's decisions 0.5/1/2/4 h → median 1.5 h, 90th percentile 3.4 h; returns: 背景 ×2, 地址 ×1.
"""

from __future__ import annotations

import datetime
import zoneinfo
from contextlib import contextmanager
from unittest import mock

import pytest

from sscard.accounts.models import User
from sscard.applications import lifecycle
from sscard.applications.constants import Channel
from sscard.review import claims, decisions
from sscard.review.constants import AUTO_REVIEW_ACTOR
from sscard.review.models import OverdueFlag
from tests.factories import ApplicationFactory, StaffUserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PERIOD = {"from": "2025-03-03", "to": "2025-03-09"}


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, minute, second, tzinfo=SHANGHAI)


@contextmanager
def clock(moment: datetime.datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def submitted_at(moment, *, channel=Channel.WEBSITE, town="shiqi"):
    with clock(moment):
        application = ApplicationFactory(channel=channel, town=town)
        lifecycle.perform(application, "submit", actor="citizen:1")
    return application


def machine_approves(application, moment):
    with clock(moment):
        lifecycle.perform(application, "start_review", actor=AUTO_REVIEW_ACTOR, reason="机器自动审核")
        lifecycle.perform(application, "approve", actor=AUTO_REVIEW_ACTOR, reason="自动审核通过")


def reviewer_decides(application, reviewer, moment, reasons=None):
    with clock(moment):
        claims.claim(application, reviewer, now=moment)
        if reasons:
            decisions.return_for_correction(application, reviewer, reasons, now=moment)
        else:
            decisions.approve(application, reviewer, now=moment)


@pytest.fixture
def history(db):
    alice = User.objects.create_user(username="alice", password="x" * 12, role="reviewer")
    bob = User.objects.create_user(username="bob", password="x" * 12, role="reviewer")
    apps = {}
    apps["A1"] = submitted_at(at(3, 10))
    machine_approves(apps["A1"], at(3, 10, 0, 10))
    apps["A2"] = submitted_at(at(3, 11), channel=Channel.H5, town="dongqu")
    machine_approves(apps["A2"], at(3, 11, 0, 20))
    apps["A3"] = submitted_at(at(4, 9), channel=Channel.YUESHENGSHI)
    machine_approves(apps["A3"], at(4, 9, 0, 30))
    apps["A4"] = submitted_at(at(4, 9), town="xiaolan")
    reviewer_decides(apps["A4"], alice, at(4, 11))
    apps["A5"] = submitted_at(at(5, 9), channel=Channel.YUESHENGSHI, town="dongqu")
    reviewer_decides(apps["A5"], bob, at(5, 13), ["portrait_background", "address_imprecise"])
    with clock(at(6, 8)):
        lifecycle.perform(apps["A5"], "resubmit", actor="citizen:1")
    reviewer_decides(apps["A5"], alice, at(6, 9))
    apps["A6"] = submitted_at(at(7, 9), channel=Channel.COUNTER)
    reviewer_decides(apps["A6"], bob, at(7, 9, 30), ["portrait_background"])
    apps["A7"] = submitted_at(at(6, 7, 30))
    round_event = apps["A7"].events.get(action="submit")
    OverdueFlag.objects.create(application=apps["A7"], submission_event=round_event, submitted_on=at(6, 0).date(),
                               overdue_since=at(14, 0).date(), new_date=at(17, 0).date(), flagged_at=at(9, 10))
    # A flag from a round that has since been decided: counted as flagged in the period, not as overdue now.
    OverdueFlag.objects.create(application=apps["A6"], submission_event=apps["A6"].events.get(action="submit"),
                               submitted_on=at(7, 0).date(), overdue_since=at(15, 0).date(),
                               new_date=at(18, 0).date(), flagged_at=at(8, 10))
    apps["A8"] = submitted_at(at(10, 0, 1))
    return apps


@pytest.fixture
def supervisor(db):
    return StaffUserFactory(username="boss", role="supervisor")


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client
