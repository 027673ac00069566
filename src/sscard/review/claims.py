"""Claims: which reviewer is working on which application.

``claim_next`` takes the most urgent application nobody is working on and moves it to ``reviewing``
(lifecycle ``start_review``, by the reviewer). A claim lasts while the reviewer is active
(``touch``); idle past ``REVIEW_CLAIM_IDLE_MINUTES`` another reviewer may take it over (it stays
``reviewing``). ``release`` gives it back to the queue (lifecycle ``release_review``).

Two reviewers pressing "next" together never get the same application: on PostgreSQL the candidate row
is locked with SKIP LOCKED, so each takes a different one; everywhere the lifecycle's guarded update and
a conditional update of the claim refuse the second, and the loser simply tries the next candidate.
"""

from __future__ import annotations

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.common.statemachine import TransitionNotAllowed
from sscard.review import queries
from sscard.review.constants import ReviewError
from sscard.review.models import Claim

log = logging.getLogger("sscard.review")

# How many times a reviewer who lost a race for a candidate tries the next one before giving up.
ATTEMPTS = 5


def actor_of(reviewer) -> str:
    return f"staff:{reviewer.get_username()}"


def claim_next(reviewer, *, now: datetime.datetime | None = None) -> Application | None:
    """Take the most urgent unclaimed application (or one whose claim expired); None when the queue is empty."""
    now = now or timezone.now()
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                candidates = queries.claimable(now)
                if connection.features.has_select_for_update_skip_locked:
                    candidates = candidates.select_for_update(skip_locked=True, of=("self",))
                application = candidates.first()
                if application is None:
                    return None
                _take(application, reviewer, now)
                return application
        except (TransitionNotAllowed, _Lost):
            continue  # someone else took this one between our read and our write: try the next
    log.warning("claim_next_gave_up reviewer=%s attempts=%s", reviewer.pk, ATTEMPTS)
    return None


def claim(application: Application, reviewer, *, now: datetime.datetime | None = None) -> Application:
    """Take one chosen application (from the queue list); refused if another reviewer's claim is live."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            current = Claim.objects.filter(application=locked).select_related("reviewer").first()
            if locked.state == State.REVIEWING and current and current.reviewer_id == reviewer.pk:
                _touch(current, now)
                application.refresh_from_db()
                return application
            if locked.state not in queries.UNDER_REVIEW:
                raise not_decidable(locked)
            if current and locked.state == State.REVIEWING and current.last_activity_at >= queries.idle_since(now):
                raise ReviewError("claimed_by_other", f"这份申领正由审核员{current.reviewer.get_username()}处理")
            _take(locked, reviewer, now)
    except (TransitionNotAllowed, _Lost):
        raise ReviewError("claimed_by_other", "这份申领刚被其他审核员领取，请选择其他申领") from None
    application.refresh_from_db()
    return application


def touch(application: Application, reviewer, *, now: datetime.datetime | None = None) -> Claim:
    """Record activity (opening, zooming an image…): keeps the claim live. Refused if the claim is not live."""
    now = now or timezone.now()
    with transaction.atomic():
        claim_row = live_claim(application, reviewer, now=now, lock=True)
        _touch(claim_row, now)
    return claim_row


def release(application: Application, reviewer, *, now: datetime.datetime | None = None) -> Application:
    """Give the application back to the queue (state back to ``submitted``, due date unchanged)."""
    now = now or timezone.now()
    with transaction.atomic():
        claim_row = live_claim(application, reviewer, now=now, lock=True)
        lifecycle.perform(application, "release_review", actor=actor_of(reviewer), reason="审核员退回待审队列")
        claim_row.delete()
    log.info("claim_released application=%s reviewer=%s", application.pk, reviewer.pk)
    return application


def live_claim(application: Application, reviewer, *, now: datetime.datetime | None = None, lock=False) -> Claim:
    """The reviewer's live claim on the application, or a ReviewError saying why there is none."""
    now = now or timezone.now()
    rows = Claim.objects.select_related("reviewer")
    if lock:
        rows = rows.select_for_update(of=("self",))
    current = rows.filter(application_id=application.pk).first()
    application.refresh_from_db()
    if application.state != State.REVIEWING:
        raise not_decidable(application)
    if current is None:
        raise ReviewError("not_claimed", "请先领取这份申领再处理")
    if current.reviewer_id != reviewer.pk:
        raise ReviewError("claimed_by_other", f"这份申领已由审核员{current.reviewer.get_username()}领取，您不能处理")
    if current.last_activity_at < queries.idle_since(now):
        raise ReviewError("claim_expired", "您对这份申领的领取因长时间未操作已失效，请重新领取后再处理")
    return current


def not_decidable(application: Application) -> ReviewError:
    """Why an application is not (any more) for a reviewer to decide: withdrawn, or decided already."""
    if application.state == State.CANCELLED:
        return ReviewError("withdrawn", "申领人已撤销这份申领，无需再审核")
    if application.state in (State.SUBMITTED, State.DRAFT):
        return ReviewError("not_claimed", "这份申领还在待审队列中，请先领取再处理")
    last = queries.last_event(application)
    who = "机器自动审核" if last and last.actor.startswith("system:") else "其他审核员"
    return ReviewError(
        "already_decided", f"这份申领已由{who}处理（当前状态：{State(application.state).label}），无需重复处理"
    )


class _Lost(Exception):
    """Another reviewer took the candidate between our read and our write."""


def _take(application: Application, reviewer, now: datetime.datetime) -> None:
    if application.state == State.SUBMITTED:
        lifecycle.perform(application, "start_review", actor=actor_of(reviewer))
        # A claim row left from before (a withdrawn-and-restored case cannot happen, but a stale row can).
        Claim.objects.update_or_create(
            application=application,
            defaults={"reviewer": reviewer, "claimed_at": now, "last_activity_at": now},
        )
        log.info("claimed application=%s reviewer=%s", application.pk, reviewer.pk)
        return
    # Under review with an idle claim: take it over only if it is still idle (conditional update).
    taken = Claim.objects.filter(
        application=application, last_activity_at__lt=queries.idle_since(now)
    ).update(reviewer=reviewer, claimed_at=now, last_activity_at=now)
    if not taken:
        if Claim.objects.filter(application=application).exists():
            raise _Lost
        # Reviewing without any claim (should not happen; e.g. its row was deleted by hand): take it.
        Claim.objects.create(application=application, reviewer=reviewer, claimed_at=now, last_activity_at=now)
    log.info("claim_reassigned application=%s reviewer=%s", application.pk, reviewer.pk)


def _touch(claim_row: Claim, now: datetime.datetime) -> None:
    Claim.objects.filter(pk=claim_row.pk).update(last_activity_at=now)
    claim_row.last_activity_at = now
