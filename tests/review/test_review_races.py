"""Ten reviewers press "next" at the same moment: ten different applications (PostgreSQL, SKIP LOCKED)."""

import pytest
from django.db import connection

from sscard.applications.constants import State
from sscard.review import autoreview
from sscard.review.models import Claim
from tests.concurrency import run_processes
from tests.review.claim_race import race_claim_next
from tests.review.conftest import submitted

REVIEWERS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_reviewers_claim_ten_different_applications(postgres_only, make_reviewer):
    applications = []
    for _ in range(REVIEWERS + 2):
        application = submitted(relationship="parent")
        autoreview.run(application.pk)
        applications.append(application)
    names = [make_reviewer(f"reviewer{i}").username for i in range(REVIEWERS)]
    outcomes = dict(run_processes(race_claim_next, [(connection.settings_dict["NAME"], n) for n in names]))
    taken = list(outcomes.values())
    assert None not in taken, outcomes
    assert len(set(taken)) == REVIEWERS
    claims = {c.application_id: c.reviewer.username for c in Claim.objects.select_related("reviewer")}
    assert claims == {pk: name for name, pk in outcomes.items()}
    states = {a.pk: type(a).objects.get(pk=a.pk).state for a in applications}
    assert sorted(states.values()).count(State.REVIEWING) == REVIEWERS
    for pk in taken:
        assert type(applications[0]).objects.get(pk=pk).events.filter(action="start_review").count() == 1
