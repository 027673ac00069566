"""The dashboards' pure parts: the period, percentiles, durations, tables to CSV, SVG charts."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from sscard.dashboards import charts
from sscard.dashboards.period import parse_period
from sscard.dashboards.stats import duration_text, interpolate, percentile_position
from sscard.dashboards.tables import BOM, Column, Table

TODAY = datetime.date(2025, 3, 31)


def test_period_defaults_to_the_last_30_days_up_to_today():
    period, errors = parse_period("", "", TODAY)
    assert errors == []
    assert (period.first, period.last) == (datetime.date(2025, 3, 2), TODAY)
    assert len(period.days) == 30 and period.days[-1] == TODAY
    assert period.as_query() == "from=2025-03-02&to=2025-03-31"


def test_period_without_a_start_is_the_30_days_up_to_the_end():
    period, _ = parse_period("", "2025-02-10", TODAY)
    assert (period.first, period.last) == (datetime.date(2025, 1, 12), datetime.date(2025, 2, 10))


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "message"),
    [
        ("2025-13-01", "", "开始日期格式不正确，请按“2025-01-31”填写。"),
        ("", "31/03/2025", "结束日期格式不正确，请按“2025-01-31”填写。"),
        ("2025-03-10", "2025-03-01", "开始日期不能晚于结束日期。"),
        ("2023-01-01", "2025-03-01", "查询范围最长366天，请缩短日期范围。"),
    ],
)
def test_bad_periods_are_refused_in_chinese(raw_from, raw_to, message):
    period, errors = parse_period(raw_from, raw_to, TODAY)
    assert period is None and errors == [message]


def test_percentile_position_matches_percentile_cont():
    # Five values: the median is the third (index 2); the 90th percentile is 60% of the way from the 4th to the 5th.
    assert percentile_position(5, 0.5) == (2, 0.0)
    lower, weight = percentile_position(5, 0.9)
    assert lower == 3 and weight == pytest.approx(0.6)
    assert percentile_position(1, 0.9) == (0, 0.0)
    assert interpolate([10.0, 20.0], 0.6) == pytest.approx(16.0)
    assert interpolate([7.0], 0.0) == 7.0
    with pytest.raises(ValueError):
        percentile_position(0, 0.5)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (42, "42秒"), (600, "10分钟"), (3 * 3600 + 1800, "3.5小时"), (2 * 86400 + 4 * 3600, "2天4小时"),
     (86400 * 3, "3天")],
)
def test_durations_read_as_a_clerk_says_them(seconds, text):
    assert duration_text(seconds) == text


def test_csv_has_a_bom_a_chinese_header_with_codes_and_plain_values():
    table = Table("demo", "演示", [Column("day", "日期"), Column("n", "件数"), Column("p50_hours", "中位用时（小时）")],
                  [[datetime.date(2025, 3, 1), 3, 1.5], [datetime.date(2025, 3, 2), 0, None]])
    text = table.csv_text()
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [["日期（day）", "件数（n）", "中位用时（小时）（p50_hours）"],
                    ["2025-03-01", "3", "1.5"], ["2025-03-02", "0", ""]]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_a_table_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError):
        Table("demo", "演示", [Column("a", "甲")], [[1, 2]])


def test_page_cells_use_the_column_format_and_a_dash_for_none():
    table = Table("demo", "演示", [Column("h", "用时", show=lambda v: f"{v}小时"), Column("x", "备注")], [[2, None]])
    assert table.shown_rows() == [["2小时", "—"]]


def test_columns_chart_stacks_one_rect_per_nonzero_value_with_its_figures():
    svg = charts.columns("c", "每日受理量", ["03-01", "03-02"],
                         [charts.Series("官网", [3, 0]), charts.Series("粤省事", [1, 2])])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title id=\"chart-c\">每日受理量</title>" in svg
    assert svg.count('class="bar"') == 3  # the zero is not drawn
    assert 'data-label="03-01" data-series="官网" data-value="3"' in svg
    assert 'data-label="03-02" data-series="粤省事" data-value="2"' in svg


def test_a_taller_value_draws_a_taller_column():
    svg = charts.columns("c", "t", ["a", "b"], [charts.Series("s", [1, 4])])
    heights = [float(part.split('height="')[1].split('"')[0]) for part in svg.split('<rect class="bar"')[1:]]
    assert heights[1] == pytest.approx(4 * heights[0])


def test_bars_chart_escapes_labels_and_says_when_empty():
    svg = charts.bars("b", "退回原因", [("<背景>", 5), ("地址", 2)], unit="次")
    assert svg.count('class="bar"') == 2
    assert "&lt;背景&gt;" in svg and "<背景>" not in svg
    assert "5次" in svg
    assert "所选期间没有数据" in charts.bars("e", "空", [])


def test_series_must_match_the_labels():
    with pytest.raises(ValueError):
        charts.columns("c", "t", ["a", "b"], [charts.Series("s", [1])])


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (180, 200), (501, 1000)])
def test_axis_top_is_a_round_number(value, top):
    assert charts.nice_ceiling(value) == top
