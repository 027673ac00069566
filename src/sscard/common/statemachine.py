"""A transition table (pure): which action moves which state to which.

Each lifecycle module (``applications.lifecycle``, ``cards.lifecycle``) declares one table; the
table answers "may this action happen now, and where does it lead?" and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class TransitionNotAllowed(Exception):
    """The action is not in the table for the current state. ``message`` is for people (Chinese)."""

    def __init__(self, message: str, *, action: str, state: str):
        super().__init__(message)
        self.message = message
        self.action = action
        self.state = state


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str  # Chinese, for staff screens and error messages


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition], state_labels: dict[str, str], final: Iterable[str]):
        self.by_action = {t.action: t for t in transitions}
        self.state_labels = state_labels
        self.final = frozenset(final)
        for t in self.by_action.values():
            unknown = (t.sources | {t.target}) - state_labels.keys()
            if unknown:
                raise ValueError(f"transition {t.action} names unknown states {unknown}")
            if t.sources & self.final:
                raise ValueError(f"transition {t.action} leaves a final state")

    def resolve(self, action: str, state: str) -> Transition:
        transition = self.by_action.get(action)
        if transition is None:
            raise TransitionNotAllowed(f"没有“{action}”这项操作", action=action, state=state)
        if state not in transition.sources:
            current = self.state_labels.get(state, state)
            raise TransitionNotAllowed(
                f"当前状态为“{current}”，不能{transition.label}", action=action, state=state
            )
        return transition

    def allowed_actions(self, state: str) -> list[str]:
        return [a for a, t in self.by_action.items() if state in t.sources]

    @property
    def states(self) -> list[str]:
        return list(self.state_labels)
