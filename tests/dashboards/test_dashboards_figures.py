"""The figures on a small history with known times (see conftest.py): counts, percentiles, reasons, reviewers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from sscard.accounts.models import User
from sscard.applications.constants import Channel
from sscard.dashboards import figures, queries
from sscard.dashboards.period import Period
from tests.dashboards.conftest import PERIOD, at, machine_approves, reviewer_decides, submitted_at

MARCH = Period(datetime.date.fromisoformat(PERIOD["from"]), datetime.date.fromisoformat(PERIOD["to"]))
D = datetime.date


def test_intake_counts_first_submissions_per_local_day_by_channel(history):
    by_channel = {row[0]: row[1:] for row in figures.intake_panels(MARCH)[0].table.rows}
    # columns: website, h5, yueshengshi, counter, total
    assert by_channel[D(2025, 3, 3)] == [1, 1, 0, 0, 2]
    assert by_channel[D(2025, 3, 4)] == [1, 0, 1, 0, 2]
    assert by_channel[D(2025, 3, 5)] == [0, 0, 1, 0, 1]  # A5; its resubmission on the 6th is not a new application
    assert by_channel[D(2025, 3, 6)] == [1, 0, 0, 0, 1]  # A7 at 07:30 Beijing time, still the 5th in UTC
    assert by_channel[D(2025, 3, 7)] == [0, 0, 0, 1, 1]
    assert by_channel[D(2025, 3, 9)] == [0, 0, 0, 0, 0]  # A8 came a minute after the period
    assert len(by_channel) == 7


def test_intake_by_town_totals_and_daily_export(history):
    panel = figures.intake_panels(MARCH)[1]
    assert [(r[1], r[2], r[3]) for r in panel.table.rows] == [
        ("石岐街道", 4, "57.1%"), ("东区街道", 2, "28.6%"), ("小榄镇", 1, "14.3%")
    ]
    daily = panel.extra[0]
    assert [D(2025, 3, 3), "dongqu", "东区街道", 1] in daily.rows
    assert [D(2025, 3, 3), "shiqi", "石岐街道", 1] in daily.rows
    assert sum(r[3] for r in daily.rows) == 7


def test_system_and_reviewer_decisions(history):
    rows = figures._decisions_panel(queries.decisions(queries.Window.of(MARCH))).table.rows
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("人工审核", "审核通过", 2), ("人工审核", "退回补正", 2), ("系统自动审核", "审核通过", 3)
    ]


def test_median_and_90th_percentile_from_submission_to_decision(history):
    times = queries.decision_times(queries.Window.of(MARCH))
    assert times["system"]["n"] == 3
    assert times["system"]["p50"] == pytest.approx(20, abs=0.01)
    assert times["system"]["p90"] == pytest.approx(28, abs=0.01)
    assert times["reviewer"]["n"] == 4
    assert times["reviewer"]["p50"] == pytest.approx(1.5 * 3600, abs=0.01)
    assert times["reviewer"]["p90"] == pytest.approx(3.4 * 3600, abs=0.01)
    table = figures._times_panel(times).table
    assert table.rows == [["system", "系统自动审核", 3, 0.0056, 0.0078], ["reviewer", "人工审核", 4, 1.5, 3.4]]
    assert table.shown_rows()[0][3:] == ["20秒", "28秒"]
    assert table.shown_rows()[1][3:] == ["1.5小时", "3.4小时"]


def test_top_return_reasons_count_each_reason_of_each_return(history):
    rows = queries.return_reasons(queries.Window.of(MARCH))
    assert rows == [
        {"code": "portrait_background", "title": "证件照背景不是白色", "n": 2},
        {"code": "address_imprecise", "title": "地址没有精确到门牌", "n": 1},
    ]


def test_overdue_in_the_period_and_still_waiting(history):
    assert queries.overdue(queries.Window.of(MARCH)) == {"flagged": 2, "open_now": 1}
    later = Period(D(2025, 3, 10), D(2025, 3, 20))
    assert queries.overdue(queries.Window.of(later)) == {"flagged": 0, "open_now": 1}


def test_reviewer_throughput_per_person_and_day(history):
    panel = figures.reviewer_panels(MARCH)[0]
    # reviewer, approve, return, refuse, total, active days, per active day
    assert panel.table.rows == [["alice", 2, 0, 0, 2, 2, 1.0], ["bob", 0, 2, 0, 2, 2, 1.0]]
    assert panel.extra[0].rows == [
        [D(2025, 3, 4), "alice", 1, 0, 0, 1], [D(2025, 3, 5), "bob", 0, 1, 0, 1],
        [D(2025, 3, 6), "alice", 1, 0, 0, 1], [D(2025, 3, 7), "bob", 0, 1, 0, 1],
    ]


def test_an_empty_period_has_no_figures_and_no_errors(history):
    empty = Period(D(2024, 1, 1), D(2024, 1, 7))
    assert figures.reviewer_panels(empty)[0].table.rows == []
    assert queries.decision_times(queries.Window.of(empty)) == {}
    assert queries.return_reasons(queries.Window.of(empty)) == []
    assert sum(r[-1] for r in figures.intake_panels(empty)[0].table.rows) == 0


def _expected_queries(page: str) -> int:
    return {"intake": 1, "reviewers": 1, "review": 3 + queries.PERCENTILE_QUERIES[connection.vendor]}[page]


def grow(history):
    """Sixteen more applications on the 3rd and the 8th, half decided by the machine, half by alice."""
    alice = User.objects.get(username="alice")
    for minute in range(0, 40, 5):
        machine = submitted_at(at(3, 14, minute), channel=Channel.H5, town="xiqu")
        machine_approves(machine, at(3, 14, minute, 45))
        person = submitted_at(at(8, 9, minute), town="nanqu")
        reviewer_decides(person, alice, at(8, 15, minute), ["address_imprecise"] if minute % 10 else None)


@pytest.mark.parametrize("page", ["intake", "review", "reviewers"])
def test_each_page_costs_a_fixed_number_of_queries_at_two_sizes(history, page, django_assert_num_queries):
    with django_assert_num_queries(_expected_queries(page)):
        small = figures.PAGES[page].build(MARCH)
    grow(history)
    with django_assert_num_queries(_expected_queries(page)):
        large = figures.PAGES[page].build(MARCH)
    assert [p.table.rows for p in small] != [p.table.rows for p in large]  # the figures moved, the query count did not
