"""Two processes race conflicting transitions on one application: exactly one wins (PostgreSQL)."""

import pytest
from django.db import connection

from sscard.applications.constants import State
from sscard.applications.models import Application, ApplicationEvent
from tests.concurrency import race_transition, run_processes
from tests.factories import ApplicationFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(2))
def test_conflicting_transitions_exactly_one_wins(postgres_only, round_):
    application = ApplicationFactory(reviewing=True)
    name = connection.settings_dict["NAME"]
    outcomes = dict(run_processes(race_transition, [(name, application.pk, a) for a in ("approve", "refuse")]))
    winners = [a for a, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    loser = ({"approve", "refuse"} - set(winners)).pop()
    assert "刚被其他人处理过" in outcomes[loser] or "不能" in outcomes[loser]
    application.refresh_from_db()
    assert application.state == {"approve": State.APPROVED, "refuse": State.REFUSED}[winners[0]]
    decisions = ApplicationEvent.objects.filter(application=application, action__in=["approve", "refuse"])
    assert [e.action for e in decisions] == winners
    assert Application.objects.get(pk=application.pk).version == 3
