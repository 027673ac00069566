"""Random sequences of lifecycle actions, including refused ones and stale copies.

After every step: the state equals the last event's target, every event's source is the previous
event's target (no event without a state change — except the citizen's in-place ``correct`` — and no
state change without an event), and the history only grows.
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sscard.applications import lifecycle
from sscard.applications.models import Application
from sscard.common.statemachine import TransitionNotAllowed
from tests.factories import ApplicationFactory

ACTIONS = sorted(lifecycle.TABLE.by_action)


@pytest.mark.django_db(transaction=False)
class TestLifecycleStateful:
    def test_random_action_sequences(self, django_db_blocker):
        machine_settings = settings(
            max_examples=40, stateful_step_count=25, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        LifecycleMachine.TestCase.settings = machine_settings
        LifecycleMachine.TestCase().runTest()


class LifecycleMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.application = ApplicationFactory()
        self.stale = Application.objects.get(pk=self.application.pk)
        self.history_length = 1
        self.refusals = 0

    @rule(action=st.sampled_from(ACTIONS))
    def act(self, action):
        before = self.application.state
        allowed = action in lifecycle.TABLE.allowed_actions(before)
        try:
            lifecycle.perform(self.application, action, actor="hypothesis")
        except TransitionNotAllowed:
            assert not allowed
            self.refusals += 1
            return
        assert allowed
        self.history_length += 1

    @rule(action=st.sampled_from(ACTIONS))
    def act_on_stale_copy(self, action):
        """A second clerk working from an old screen: may succeed only if nothing changed since."""
        fresh_state = Application.objects.get(pk=self.application.pk).state
        try:
            lifecycle.perform(self.stale, action, actor="hypothesis:stale")
        except TransitionNotAllowed:
            pass
        else:
            assert self.stale.state != fresh_state or action in lifecycle.TABLE.allowed_actions(fresh_state)
            self.history_length += 1
        self.application.refresh_from_db()
        self.stale = Application.objects.get(pk=self.application.pk)

    @invariant()
    def history_explains_state(self):
        app = Application.objects.get(pk=self.application.pk)
        events = list(app.events.order_by("id"))
        assert len(events) == self.history_length
        assert events[-1].to_state == app.state
        assert events[0].from_state == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert event.from_state == previous.to_state
            # The one in-place action: the citizen's correction while waiting for a reviewer records a change, not a move.
            assert event.from_state != event.to_state or event.action == "correct"
            assert event.action in lifecycle.TABLE.by_action
        assert app.version == len(events) - 1
