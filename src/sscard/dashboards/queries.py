"""Every dashboard query in one place: aggregation done by the database, a fixed number of queries each.

Nothing here loads the rows it counts: each function is one GROUP BY (``TruncDate`` for days) returning
at most days × categories rows, whatever the volume. The exception is the percentiles of decision time on
SQLite, which has no ``percentile_cont``: a count per group, then the two values around each percentile's
rank read at an OFFSET — still a fixed number of queries (:data:`PERCENTILE_QUERIES`).

What is counted:

- an *application* on the day its citizen first submitted it (the ``submit`` event; a resubmission after
  a return is the same application, not a new one);
- a *decision* is an approve / return / refuse event; the machine's carry the actor
  ``system:auto-review``, everything else was a person's;
- *decision time* runs from the start of the decision's review round (the latest submit or resubmit before
  it) to the decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from sscard.applications.lifecycle import SUBMISSION_ACTIONS
from sscard.applications.models import ApplicationEvent
from sscard.dashboards.period import Period
from sscard.dashboards.stats import interpolate, percentile_position
from sscard.review.constants import AUTO_REVIEW_ACTOR
from sscard.review.models import OverdueFlag
from sscard.review.queries import UNDER_REVIEW

DECISION_ACTIONS = ("approve", "return_for_correction", "refuse")
SYSTEM, REVIEWER = "system", "reviewer"
PERCENTILES = (0.5, 0.9)
STAFF_ACTOR_PREFIX = "staff:"


@dataclass(frozen=True)
class Window:
    """A period as the database sees it: from local midnight of the first day to local midnight after the last."""

    start: datetime.datetime
    end: datetime.datetime

    @classmethod
    def of(cls, period: Period) -> Window:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(period.first, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(period.last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return cls(start, end)


def _events(window: Window, **filters):
    return ApplicationEvent.objects.filter(created_at__gte=window.start, created_at__lt=window.end, **filters)


def _day():
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def intake(window: Window) -> list[dict]:
    """Applications submitted, per day × channel × town: ``{"day", "channel", "town", "n"}`` (one query)."""
    return list(
        _events(window, action="submit")
        .annotate(day=_day(), channel=F("application__channel"), town=F("application__town"))
        .values("day", "channel", "town")
        .annotate(n=Count("id"))
        .order_by("day", "channel", "town")
    )


def _decider():
    return Case(When(actor=AUTO_REVIEW_ACTOR, then=Value(SYSTEM)), default=Value(REVIEWER), output_field=CharField())


def decisions(window: Window) -> list[dict]:
    """Decisions per decider (system / reviewer) and action: ``{"decider", "action", "n"}`` (one query)."""
    return list(
        _events(window, action__in=DECISION_ACTIONS)
        .annotate(decider=_decider())
        .values("decider", "action")
        .annotate(n=Count("id"))
        .order_by("decider", "action")
    )


class Seconds(Func):
    """``end - start`` in seconds, as a float, on both databases."""

    output_field = FloatField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))",
                           arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
                           arg_joiner=") - julianday(", **extra)


def _timed_decisions(window: Window):
    round_start = (
        ApplicationEvent.objects.filter(
            application=OuterRef("application_id"), action__in=SUBMISSION_ACTIONS, id__lt=OuterRef("id")
        )
        .order_by("-id")
        .values("created_at")[:1]
    )
    return (
        _events(window, action__in=DECISION_ACTIONS)
        .annotate(decider=_decider(), round_started_at=Subquery(round_start))
        .annotate(seconds=Seconds(F("created_at"), F("round_started_at")))
    )


# Queries ``decision_times`` makes on SQLite: one count per decider group, then one per decider and percentile.
PERCENTILE_QUERIES = {"postgresql": 1, "sqlite": 1 + 2 * len(PERCENTILES)}


def decision_times(window: Window) -> dict[str, dict]:
    """Per decider: ``{"n", "p50", "p90"}`` seconds from the round's submission to the decision."""
    rows = _timed_decisions(window)
    if connection.vendor == "postgresql":
        return _percentiles_postgresql(rows)
    rows = rows.filter(round_started_at__isnull=False)  # a decision with no submission before it (bad data)
    counts = dict(rows.values("decider").annotate(n=Count("id")).order_by("decider").values_list("decider", "n"))
    result: dict[str, dict] = {}
    for decider in (SYSTEM, REVIEWER):
        n = counts.get(decider, 0)
        result[decider] = {"n": n, **dict.fromkeys(map(_key, PERCENTILES))}
        if not n:
            continue
        ordered = rows.filter(decider=decider).order_by("seconds", "id").values_list("seconds", flat=True)
        for p in PERCENTILES:
            lower, weight = percentile_position(n, p)
            result[decider][_key(p)] = interpolate(list(ordered[lower:lower + 2]), weight)
    return {k: v for k, v in result.items() if v["n"]}


def _percentiles_postgresql(rows) -> dict[str, dict]:
    # Each decision's round start is a correlated subquery. Inline, PostgreSQL runs it once for every
    # expression that reads it (the NULL filter and each percentile); the MATERIALIZED CTE runs it once per
    # decision. bench/backoffice.py measured the review dashboard at 100,000 applications: 2.4 s before.
    sql, params = rows.order_by().values("decider", "seconds").query.sql_with_params()
    aggregates = ", ".join(f"PERCENTILE_CONT({p!r}) WITHIN GROUP (ORDER BY seconds)" for p in PERCENTILES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH timed AS MATERIALIZED ({sql}) SELECT decider, COUNT(*), {aggregates} FROM timed "
            "WHERE seconds IS NOT NULL GROUP BY decider",
            params,
        )
        return {decider: {"n": n, **dict(zip(map(_key, PERCENTILES), values, strict=True))}
                for decider, n, *values in cursor.fetchall()}


def _key(fraction: float) -> str:
    return f"p{round(fraction * 100)}"


RETURN_REASONS_SQL = {
    "postgresql": """
        SELECT r.value->>'code' AS code, MAX(r.value->>'title') AS title, COUNT(*) AS n
        FROM {events} e CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(e.data->'return_reasons') = 'array' THEN e.data->'return_reasons'
                 ELSE '[]'::jsonb END) AS r(value)
        WHERE e.action = %s AND e.created_at >= %s AND e.created_at < %s
        GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT %s""",
    "sqlite": """
        SELECT json_extract(r.value, '$.code') AS code, MAX(json_extract(r.value, '$.title')) AS title,
               COUNT(*) AS n
        FROM {events} e, json_each(e.data, '$.return_reasons') AS r
        WHERE e.action = %s AND e.created_at >= %s AND e.created_at < %s
        GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT %s""",
}


def return_reasons(window: Window, *, limit: int = 10) -> list[dict]:
    """The most frequent reasons reviewers returned applications for: ``{"code", "title", "n"}`` (one query).

    Each return event keeps its reasons in ``data.return_reasons`` (a JSON list); the database unnests the
    list and counts — the ORM has no words for that, hence the SQL per database.
    """
    sql = RETURN_REASONS_SQL[connection.vendor].format(events=ApplicationEvent._meta.db_table)
    params = ["return_for_correction", window.start, window.end, limit]
    if connection.vendor == "sqlite":  # SQLite stores datetimes as text in Django's format
        params[1:3] = [connection.ops.adapt_datetimefield_value(v) for v in params[1:3]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"code": code, "title": title, "n": n} for code, title, n in cursor.fetchall()]


def overdue(window: Window) -> dict[str, int]:
    """Review rounds flagged overdue within the period, and those overdue and still waiting now (one query).

    "Still waiting" is the rule of ``review.queries.overdue_list``: the application is under review and the
    flag belongs to its current round.
    """
    current_round = (
        ApplicationEvent.objects.filter(application=OuterRef("application_id"), action__in=SUBMISSION_ACTIONS)
        .order_by("-id")
        .values("id")[:1]
    )
    in_period = Q(flagged_at__gte=window.start, flagged_at__lt=window.end)
    waiting = Q(application__state__in=UNDER_REVIEW)
    return (
        OverdueFlag.objects.filter(in_period | waiting)
        .annotate(current_round=Subquery(current_round))
        .aggregate(flagged=Count("id", filter=in_period),
                   open_now=Count("id", filter=waiting & Q(submission_event_id=F("current_round"))))
    )


def reviewer_days(window: Window) -> list[dict]:
    """A person's decisions per day: ``{"day", "actor", "approve", "return_for_correction", "refuse", "n"}``."""
    counts = {action: Count("id", filter=Q(action=action)) for action in DECISION_ACTIONS}
    return list(
        _events(window, action__in=DECISION_ACTIONS, actor__startswith=STAFF_ACTOR_PREFIX)
        .annotate(day=_day())
        .values("day", "actor")
        .annotate(n=Count("id"), **counts)
        .order_by("day", "actor")
    )
