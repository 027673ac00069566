"""Two processes race conflicting transitions on one application: exactly one wins (PostgreSQL)."""

import multiprocessing

import pytest
from django.db import connection

from sscard.applications.constants import State
from sscard.applications.models import Application, ApplicationEvent
from tests.factories import ApplicationFactory


def _race(db_name, pk, action, barrier, queue):
    import django

    django.setup()
    from django.db import connections

    connections.databases["default"]["NAME"] = db_name
    from sscard.applications import lifecycle
    from sscard.applications.models import Application as App
    from sscard.common.statemachine import TransitionNotAllowed

    application = App.objects.get(pk=pk)  # both read "reviewing" before either writes
    barrier.wait(timeout=30)
    try:
        lifecycle.perform(application, action, actor=f"race:{action}")
        queue.put((action, "won"))
    except TransitionNotAllowed as exc:
        queue.put((action, exc.message))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_conflicting_transitions_exactly_one_wins(postgres_only, round_):
    application = ApplicationFactory(reviewing=True)
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    name = connection.settings_dict["NAME"]
    racers = [ctx.Process(target=_race, args=(name, application.pk, a, barrier, queue)) for a in ("approve", "refuse")]
    for racer in racers:
        racer.start()
    outcomes = dict(queue.get(timeout=60) for _ in racers)
    for racer in racers:
        racer.join(timeout=30)
    winners = [a for a, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    loser = ({"approve", "refuse"} - set(winners)).pop()
    assert "刚被其他人处理过" in outcomes[loser] or "不能" in outcomes[loser]
    application.refresh_from_db()
    assert application.state == {"approve": State.APPROVED, "refuse": State.REFUSED}[winners[0]]
    decisions = ApplicationEvent.objects.filter(application=application, action__in=["approve", "refuse"])
    assert [e.action for e in decisions] == winners
    assert Application.objects.get(pk=application.pk).version == 3
