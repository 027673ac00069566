"""The queues cost a fixed number of queries whatever their length, and show what a reviewer needs."""

import datetime

import pytest
from django.utils import timezone

from sscard.applications.models import Application
from sscard.applications.services.pickup_changes import request_pickup_change
from sscard.review import autoreview, claims, queries, sla
from tests.factories import ApplicationFactory
from tests.review.conftest import submitted

pytestmark = pytest.mark.django_db


def waiting(count: int) -> list[Application]:
    made = []
    for _ in range(count):
        application = submitted(relationship="parent")
        autoreview.run(application.pk)
        made.append(application)
    return made


def test_human_queue_is_two_queries_whatever_its_length(django_assert_num_queries, reviewer, now):
    waiting(2)
    claims.claim_next(reviewer, now=now)
    with django_assert_num_queries(2):
        short = queries.human_queue(now)
    waiting(5)
    claims.claim_next(reviewer, now=now)
    with django_assert_num_queries(2):
        long = queries.human_queue(now)
        # what the list screen reads: claim holder and the machine's findings, without more queries
        shown = [(e.claimed_by and e.claimed_by.username, e.auto_review.failed[0]["code"], e.due) for e in long]
    assert len(short) == 2 and len(long) == 7
    assert [who for who, _, _ in shown].count("reviewer1") == 2
    assert {code for _, code, _ in shown} == {"no_relationship_proof"}


def test_human_queue_is_ordered_by_due_date_and_marks_what_waits_for_the_machine(now):
    first, second = waiting(2)
    today = timezone.localdate()
    Application.objects.filter(pk=second.pk).update(decision_due=today)
    Application.objects.filter(pk=first.pk).update(decision_due=today + datetime.timedelta(days=2))
    fresh = submitted()
    entries = queries.human_queue(now)
    assert [e.application.pk for e in entries][:2] == [second.pk, first.pk]
    by_pk = {e.application.pk: e for e in entries}
    assert by_pk[fresh.pk].awaiting_machine and by_pk[fresh.pk].auto_review is None
    assert not by_pk[first.pk].awaiting_machine and by_pk[first.pk].claimed_by is None


def test_an_expired_claim_shows_as_unclaimed(reviewer, settings, now):
    waiting(1)
    claims.claim_next(reviewer, now=now)
    idle = now + datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES + 1)
    (entry,) = queries.human_queue(idle)
    assert entry.claim is not None and not entry.claim_live and entry.claimed_by is None


def test_pickup_change_queue_is_one_query_and_due_first(django_assert_num_queries):
    changes = []
    for address in ("康华小区2栋1单元301", "金色家园8栋2单元1502", "富华道33号"):
        application = ApplicationFactory(approved=True)
        changes.append(request_pickup_change(
            application, {"pickup_method": "mail", "town": "shiqi", "address_detail": address}, actor="citizen:1",
        ))
    type(changes[0]).objects.filter(pk=changes[2].pk).update(due=changes[2].due - datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        queue = queries.pickup_change_queue()
        shown = [(c.application.acceptance_number, c.application.branch, c.due) for c in queue]
    assert [c.pk for c in queue] == [changes[2].pk, changes[0].pk, changes[1].pk]
    assert all(number for number, _, _ in shown)


def test_overdue_list_is_one_query(django_assert_num_queries, reviewer):
    made = waiting(3)
    for application in made:
        Application.objects.filter(pk=application.pk).update(decision_due=datetime.date(2000, 1, 3))
        application.events.filter(action="submit").update(
            created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        )
    claims.claim(made[0], reviewer)
    assert sla.flag_overdue()["flagged"] == 3
    with django_assert_num_queries(1):
        rows = queries.overdue_list()
        holders = [getattr(getattr(r.application, "review_claim", None), "reviewer", None) for r in rows]
    assert len(rows) == 3 and holders.count(reviewer) == 1
