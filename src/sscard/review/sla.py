"""Review deadlines: the promise (3 working days) and overdue (more than 5 working days without a decision).

The date arithmetic is pure (it takes a ``WorkCalendar``: statutory holidays and 调休 working weekends);
``flag_overdue`` is the periodic job around it (task ``review.tasks.flag_overdue_applications``,
command ``sscard review-overdue``): it flags each overdue review round once and sends the citizen the
apology SMS with a new expected date.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications.models import Application
from sscard.applications.notices import notify_application
from sscard.review import queries
from sscard.review.models import OverdueFlag
from sscard.workdays.calendar import WorkCalendar
from sscard.workdays.services import current_calendar

log = logging.getLogger("sscard.review")

# The seed: review takes 1–3 working days; the lifecycle promises the latest of those on submission.
DUE_WORKING_DAYS = 3


def due_date(submitted_on: datetime.date, calendar: WorkCalendar, days: int = DUE_WORKING_DAYS) -> datetime.date:
    """The promised decision date: ``days`` working days after the day of submission."""
    return calendar.add_working_days(submitted_on, days)


def last_day_in_time(submitted_on: datetime.date, calendar: WorkCalendar, overdue_after: int) -> datetime.date:
    """The last day a decision is still in time: the ``overdue_after``-th working day after submission."""
    return calendar.add_working_days(submitted_on, overdue_after)


def is_overdue(submitted_on: datetime.date, today: datetime.date, calendar: WorkCalendar, overdue_after: int) -> bool:
    """More than ``overdue_after`` working days have passed since submission without a decision."""
    return today > last_day_in_time(submitted_on, calendar, overdue_after)


def apology_date(today: datetime.date, calendar: WorkCalendar, days: int) -> datetime.date:
    """The new expected date told to the citizen: ``days`` working days after the day it was found overdue."""
    return calendar.add_working_days(today, days)


def flag_overdue(now: datetime.datetime | None = None, *, limit: int = 5000) -> dict:
    """Flag every overdue review round once and tell its citizen; returns counts. Safe to run any number of times."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = current_calendar()
    overdue_after = settings.REVIEW_OVERDUE_WORKING_DAYS
    flagged = checked = 0
    for application in queries.overdue_candidates(today, limit=limit):
        checked += 1
        submitted_on = timezone.localdate(application.round_started_at)
        if not is_overdue(submitted_on, today, calendar, overdue_after):
            continue
        new_date = apology_date(today, calendar, settings.REVIEW_APOLOGY_WORKING_DAYS)
        flagged += _flag(application, submitted_on, calendar, overdue_after, new_date, now)
    log.info("overdue_sweep checked=%s flagged=%s", checked, flagged)
    return {"checked": checked, "flagged": flagged}


def _flag(application: Application, submitted_on, calendar, overdue_after, new_date, now) -> int:
    try:
        with transaction.atomic():
            flag = OverdueFlag.objects.create(
                application=application, submission_event_id=application.round_event_id, submitted_on=submitted_on,
                overdue_since=last_day_in_time(submitted_on, calendar, overdue_after) + datetime.timedelta(days=1),
                new_date=new_date, flagged_at=now,
            )
            # The apology goes out with the flag or not at all (same transaction as the outbox row).
            notify_application(application, "overdue_apology", event=flag)
    except IntegrityError:
        return 0  # another run flagged this round a moment ago
    log.info("application_overdue application=%s submitted_on=%s new_date=%s", application.pk, submitted_on, new_date)
    return 1
