"""The dashboards' pages: each turns a period into panels — a chart, a table, and the CSV tables it offers.

One builder per page; a builder calls :mod:`sscard.dashboards.queries` a fixed number of times and shapes
the aggregated rows (days × categories at most) into :class:`~sscard.dashboards.tables.Table` rows and SVG.
The tables' codes and their columns' codes are the CSV's stable names (see ``tables.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sscard.addresses.towns import TOWN_CHOICES
from sscard.applications.constants import Channel
from sscard.dashboards import charts, queries
from sscard.dashboards.period import Period
from sscard.dashboards.stats import duration_text, hours
from sscard.dashboards.tables import Column, Table

TOWN_LABELS = dict(TOWN_CHOICES)
ACTION_LABELS = {"approve": "审核通过", "return_for_correction": "退回补正", "refuse": "不予受理"}
DECIDER_LABELS = {queries.SYSTEM: "系统自动审核", queries.REVIEWER: "人工审核"}


@dataclass
class Panel:
    table: Table  # shown on the page and exported
    chart: str = ""  # SVG, or nothing
    extra: list[Table] = field(default_factory=list)  # exported only (e.g. a daily breakdown)
    note: str = ""

    @property
    def exports(self) -> list[Table]:
        return [self.table, *self.extra]


@dataclass(frozen=True)
class Page:
    code: str
    title: str
    build: Callable[[Period], list[Panel]]


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _hours_text(value: float | None) -> str:
    return duration_text(None if value is None else value * 3600)


def intake_panels(period: Period) -> list[Panel]:
    rows = queries.intake(queries.Window.of(period))
    per_day: dict = defaultdict(lambda: defaultdict(int))
    per_town: dict[str, int] = defaultdict(int)
    per_town_day: dict = defaultdict(int)
    for row in rows:  # already aggregated: at most days × channels × towns rows
        per_day[row["day"]][row["channel"]] += row["n"]
        per_town[row["town"]] += row["n"]
        per_town_day[(row["day"], row["town"])] += row["n"]
    town_day = [[day, town, TOWN_LABELS.get(town, town or "未填写"), n]
                for (day, town), n in sorted(per_town_day.items())]

    channels = list(Channel)
    by_channel = Table(
        "intake_by_channel", "每日受理量（按渠道）",
        [Column("day", "日期"), *[Column(c.value, c.label, numeric=True) for c in channels],
         Column("total", "合计", numeric=True)],
        [[day, *[per_day[day][c] for c in channels], sum(per_day[day].values())] for day in period.days],
    )
    labels = [f"{day:%m-%d}" for day in period.days]
    series = [charts.Series(c.label, [per_day[day][c] for day in period.days]) for c in channels]
    total = sum(per_town.values())
    towns = sorted(per_town.items(), key=lambda item: (-item[1], item[0]))
    by_town = Table(
        "intake_by_town", "受理量（按镇街）",
        [Column("town", "镇街代码"), Column("town_name", "镇街"), Column("n", "受理量", numeric=True),
         Column("share", "占比")],
        [[town, TOWN_LABELS.get(town, town or "未填写"), n, _share(n, total)] for town, n in towns],
    )
    by_town_day = Table(
        "intake_by_town_day", "每日受理量（按镇街）",
        [Column("day", "日期"), Column("town", "镇街代码"), Column("town_name", "镇街"), Column("n", "受理量")],
        town_day,
    )
    return [
        Panel(by_channel, charts.columns("intake", by_channel.title, labels, series),
              note=f"共受理 {total} 件（按首次提交日期计，补正后重新提交不重复计算）。"),
        Panel(by_town, charts.bars("towns", by_town.title, [(r[1], r[2]) for r in by_town.rows]), [by_town_day]),
    ]


def review_panels(period: Period) -> list[Panel]:
    window = queries.Window.of(period)
    return [
        _decisions_panel(queries.decisions(window)),
        _times_panel(queries.decision_times(window)),
        _overdue_panel(queries.overdue(window)),
        _reasons_panel(queries.return_reasons(window)),
    ]


def _decisions_panel(rows: list[dict]) -> Panel:
    total = sum(r["n"] for r in rows)
    table = Table(
        "decisions", "审核决定（系统与人工）",
        [Column("decider", "审核方式代码"), Column("decider_name", "审核方式"), Column("action", "决定代码"),
         Column("action_name", "决定"), Column("n", "件数", numeric=True), Column("share", "占比")],
        [[r["decider"], DECIDER_LABELS[r["decider"]], r["action"], ACTION_LABELS.get(r["action"], r["action"]),
          r["n"], _share(r["n"], total)] for r in rows],
    )
    items = [(f"{row[1]}·{row[3]}", row[4]) for row in table.rows]
    return Panel(table, charts.bars("decisions", table.title, items), note=f"所选期间共作出审核决定 {total} 件。")


def _times_panel(times: dict[str, dict]) -> Panel:
    table = Table(
        "decision_times", "从提交到审核决定的用时",
        [Column("decider", "审核方式代码"), Column("decider_name", "审核方式"), Column("n", "件数", numeric=True),
         Column("p50_hours", "中位用时（小时）", show=_hours_text, numeric=True),
         Column("p90_hours", "90%在此用时内（小时）", show=_hours_text, numeric=True)],
        [[d, DECIDER_LABELS[d], times[d]["n"], hours(times[d]["p50"]), hours(times[d]["p90"])]
         for d in (queries.SYSTEM, queries.REVIEWER) if d in times],
    )
    items = []
    for row in table.rows:
        items += [(f"{row[1]}·中位数", row[3]), (f"{row[1]}·90%分位", row[4])]
    return Panel(table, charts.bars("times", table.title + "（小时）", items, unit="小时"),
                 note="用时从本轮提交（含补正后重新提交）起算，到审核通过、退回补正或不予受理为止，按自然时间计。")


def _overdue_panel(counts: dict[str, int]) -> Panel:
    table = Table(
        "overdue", "审核超期",
        [Column("measure", "指标代码"), Column("measure_name", "指标"), Column("n", "件数", numeric=True)],
        [["flagged", "所选期间新增超期", counts["flagged"]], ["open_now", "目前仍超期未审结", counts["open_now"]]],
    )
    return Panel(table, note="超过5个工作日未作出审核决定即为超期，系统会向申领人发送致歉短信并告知新的预计日期。")


def _reasons_panel(rows: list[dict]) -> Panel:
    total = sum(r["n"] for r in rows)
    table = Table(
        "return_reasons", "退回补正原因（前10项）",
        [Column("code", "原因代码"), Column("title", "原因"), Column("n", "次数", numeric=True),
         Column("share", "占前10项比例")],
        [[r["code"], r["title"], r["n"], _share(r["n"], total)] for r in rows],
    )
    return Panel(table, charts.bars("reasons", table.title, [(r["title"], r["n"]) for r in rows]),
                 note="一次退回可能选择多项原因，每项各计一次。")


def reviewer_panels(period: Period) -> list[Panel]:
    rows = queries.reviewer_days(queries.Window.of(period))
    people: dict[str, dict] = {}
    for row in rows:
        who = row["actor"].removeprefix(queries.STAFF_ACTOR_PREFIX)
        person = people.setdefault(who, {"days": 0, "n": 0, **dict.fromkeys(queries.DECISION_ACTIONS, 0)})
        person["days"] += 1
        person["n"] += row["n"]
        for action in queries.DECISION_ACTIONS:
            person[action] += row[action]
    ranked = sorted(people.items(), key=lambda item: (-item[1]["n"], item[0]))
    action_columns = [Column(a, ACTION_LABELS[a], numeric=True) for a in queries.DECISION_ACTIONS]
    totals = Table(
        "reviewer_totals", "审核员工作量",
        [Column("reviewer", "审核员账号"), *action_columns, Column("n", "合计", numeric=True),
         Column("active_days", "有审核的天数", numeric=True), Column("per_day", "日均件数", numeric=True)],
        [[who, *[p[a] for a in queries.DECISION_ACTIONS], p["n"], p["days"], round(p["n"] / p["days"], 1)]
         for who, p in ranked],
    )
    daily = Table(
        "reviewer_days", "审核员每日工作量",
        [Column("day", "日期"), Column("reviewer", "审核员账号"), *action_columns, Column("n", "合计")],
        [[r["day"], r["actor"].removeprefix(queries.STAFF_ACTOR_PREFIX), *[r[a] for a in queries.DECISION_ACTIONS],
          r["n"]] for r in rows],
    )
    return [Panel(totals, charts.bars("reviewers", totals.title, [(who, p["n"]) for who, p in ranked]), [daily],
                  note="只计审核员本人作出的决定；系统自动审核通过的不计入。日均按有审核的天数计算。")]


PAGES = {
    page.code: page
    for page in (
        Page("intake", "受理量", intake_panels),
        Page("review", "审核与时限", review_panels),
        Page("reviewers", "审核员工作量", reviewer_panels),
    )
}
