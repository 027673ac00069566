"""What a check returns: a verdict, the problems with their wording, and the numbers behind it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import models
from .messages import message_for


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    tip: str

    @classmethod
    def of(cls, code: str, kind: str = "portrait", variant: bool = False) -> Problem:
        message, tip = message_for(code, kind, variant)
        return cls(code, message, tip)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "tip": self.tip}


@dataclass
class Report:
    kind: str  # "portrait" | "id_front" | "id_back"
    problems: list[Problem] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage and "total"
    # ID cards: what OCR read (idcard_reading.CardReading). Personal data, so not in metrics (stored in
    # plain JSON) nor in to_dict (sent back to the browser): the caller stores it encrypted.
    reading: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def add(self, code: str, allowed_variant: bool = False) -> None:
        """``allowed_variant``: the wording for a bureau that allows the thing in some cases
        (``head_covering`` with religious or medical coverings allowed)."""
        if code not in self.codes:
            kind = "portrait" if self.kind == "portrait" else "id_card"
            self.problems.append(Problem.of(code, kind, allowed_variant))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "metrics": self.metrics,
            "timings": self.timings,
        }


class Stopwatch:
    """Collects stage timings in milliseconds into a dict."""

    def __init__(self, into: dict[str, float]):
        self.into = into
        self.start = self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = round((now - self.last) * 1000, 2)
        self.last = now

    def total(self) -> None:
        self.into["total"] = round((time.perf_counter() - self.start) * 1000, 2)


def run_check(kind: str, body: Callable[[Report, Stopwatch], None]) -> Report:
    """Run one check's ``body`` on a fresh report: stage timings, and the total whatever happens."""
    models.setup_process()
    report = Report(kind)
    watch = Stopwatch(report.timings)
    try:
        body(report, watch)
    finally:
        watch.total()
    return report
