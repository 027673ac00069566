"""Claims: the most urgent first, one reviewer per application, expiry after idling, release."""

import datetime

import pytest
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.review import autoreview, claims
from sscard.review.constants import ReviewError
from sscard.review.models import Claim
from tests.review.conftest import sms_for, submitted

pytestmark = pytest.mark.django_db


def waiting(*, due: datetime.date | None = None, **fields) -> Application:
    """A submitted application the machine left to people (a parent's, needing the proof read)."""
    application = submitted(relationship="parent", **fields)
    autoreview.run(application.pk)
    if due:
        Application.objects.filter(pk=application.pk).update(decision_due=due)
        application.refresh_from_db()
    return application


def test_claim_next_takes_the_most_urgent_and_starts_review_as_the_reviewer(reviewer, now):
    today = timezone.localdate()
    later = waiting(due=today + datetime.timedelta(days=3))
    urgent = waiting(due=today + datetime.timedelta(days=1))
    taken = claims.claim_next(reviewer, now=now)
    assert taken.pk == urgent.pk and taken.state == State.REVIEWING
    event = taken.events.last()
    assert (event.action, event.actor) == ("start_review", "staff:reviewer1")
    claim = Claim.objects.get(application=urgent)
    assert (claim.reviewer, claim.claimed_at, claim.last_activity_at) == (reviewer, now, now)
    assert claims.claim_next(reviewer, now=now).pk == later.pk
    assert claims.claim_next(reviewer, now=now) is None


def test_two_reviewers_get_different_applications(reviewer, other_reviewer, now):
    first, second = waiting(), waiting()
    a = claims.claim_next(reviewer, now=now)
    b = claims.claim_next(other_reviewer, now=now)
    assert {a.pk, b.pk} == {first.pk, second.pk}


def test_a_fresh_submission_waits_for_the_machine_unless_it_is_late(reviewer, settings, now):
    fresh = submitted()  # the machine has not answered yet
    assert claims.claim_next(reviewer, now=now) is None
    late = now + datetime.timedelta(seconds=settings.REVIEW_AUTO_REVIEW_WAIT + 1)
    assert claims.claim_next(reviewer, now=late).pk == fresh.pk


def test_an_idle_claim_expires_and_another_reviewer_takes_it_over(reviewer, other_reviewer, settings, now):
    application = waiting()
    claims.claim_next(reviewer, now=now)
    still_live = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES - 1)
    assert claims.claim_next(other_reviewer, now=still_live) is None
    with pytest.raises(ReviewError) as caught:
        claims.claim(application, other_reviewer, now=still_live)
    assert caught.value.code == "claimed_by_other" and "reviewer1" in caught.value.message

    idle = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES + 1)
    taken = claims.claim_next(other_reviewer, now=idle)
    assert taken.pk == application.pk and taken.state == State.REVIEWING
    assert Claim.objects.get(application=application).reviewer == other_reviewer
    assert taken.events.filter(action="start_review").count() == 1  # reassigned, not reviewed again
    with pytest.raises(ReviewError) as caught:
        claims.touch(application, reviewer, now=idle)
    assert caught.value.code == "claimed_by_other"


def test_activity_keeps_a_claim_live(reviewer, other_reviewer, settings, now):
    application = waiting()
    claims.claim_next(reviewer, now=now)
    minutes = settings.REVIEW_CLAIM_IDLE_MINUTES
    claims.touch(application, reviewer, now=now + datetime.timedelta(minutes=minutes - 1))
    assert claims.claim_next(other_reviewer, now=now + datetime.timedelta(minutes=minutes + 1)) is None


def test_an_expired_claim_cannot_be_touched_back_to_life_but_can_be_claimed_again(reviewer, settings, now):
    application = waiting()
    claims.claim_next(reviewer, now=now)
    idle = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES + 1)
    with pytest.raises(ReviewError) as caught:
        claims.touch(application, reviewer, now=idle)
    assert caught.value.code == "claim_expired" and "重新领取" in caught.value.message
    assert claims.claim(application, reviewer, now=idle).state == State.REVIEWING
    claims.touch(application, reviewer, now=idle)


def test_release_gives_it_back_to_the_queue_keeping_the_due_date_and_sending_no_sms(reviewer, other_reviewer, now):
    application = waiting()
    due = application.decision_due
    claims.claim_next(reviewer, now=now)
    sms_before = sms_count(application)
    with pytest.raises(ReviewError) as caught:
        claims.release(application, other_reviewer, now=now)
    assert caught.value.code == "claimed_by_other"

    claims.release(application, reviewer, now=now)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.decision_due == due
    event = application.events.last()
    assert (event.action, event.actor, event.reason) == ("release_review", "staff:reviewer1", "审核员退回待审队列")
    assert not Claim.objects.filter(application=application).exists()
    assert sms_count(application) == sms_before
    assert claims.claim_next(other_reviewer, now=now).pk == application.pk


def test_a_withdrawn_application_frees_the_claim_and_cannot_be_claimed(reviewer, django_capture_on_commit_callbacks, now):
    waiting()
    application = claims.claim_next(reviewer, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(application, "cancel", actor="citizen:1", reason="申领人撤销")
    assert not Claim.objects.filter(application=application).exists()
    with pytest.raises(ReviewError) as caught:
        claims.claim(application, reviewer, now=now)
    assert caught.value.code == "withdrawn" and caught.value.message == "申领人已撤销这份申领，无需再审核"


def sms_count(application) -> int:
    return sum(len(sms_for(application, t)) for t in ("application_accepted", "application_approved"))
