"""Pure rules: variables, rendering, length and segments, quiet hours, back-off."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscard.notifications import schedule, text
from sscard.notifications.constants import SAMPLE_CONTEXT, TEMPLATE_SPECS
from sscard.notifications.templates_text import DEFAULT_TEMPLATES

BJ = ZoneInfo("Asia/Shanghai")


def test_chinese_message_is_one_segment_up_to_70_and_67_per_part_after():
    assert text.measure("【中山人社】" + "中" * 64) == text.Length(70, 1, True)
    assert text.measure("【中山人社】" + "中" * 65).segments == 2
    assert text.measure("中" * 134).segments == 2
    assert text.measure("中" * 135).segments == 3


def test_ascii_message_uses_the_7bit_limits():
    assert text.measure("a" * 160).segments == 1
    assert text.measure("a" * 161).segments == 2
    assert text.measure("a" * 306).segments == 2


@given(st.text(alphabet="中山人社卡号0123456789", min_size=1, max_size=400))
def test_segments_always_hold_the_text(body):
    length = text.measure("【中山人社】" + body)
    assert length.segments * (70 if length.segments == 1 else 67) >= length.characters
    assert length.segments == 1 or (length.segments - 1) * 67 < length.characters


def test_variables_in_order_and_bad_placeholders_refused():
    assert text.variables("编号{acceptance_number},{reason}。{acceptance_number}") == ["acceptance_number", "reason"]
    with pytest.raises(ValueError):
        text.variables("{0}")
    with pytest.raises(ValueError):
        text.variables("{code:>6}")
    assert text.unknown_variables("{code}{waybill}", {"code"}) == ["waybill"]


def test_render_signs_and_leaves_missing_values_empty():
    assert text.render("运单号{waybill}{x}", {"waybill": "SF1"}, "中山人社") == "【中山人社】运单号SF1"


@pytest.mark.parametrize("code", sorted(DEFAULT_TEMPLATES))
def test_every_default_template_uses_only_its_variables_and_fits_two_segments(code):
    assert code in TEMPLATE_SPECS
    assert text.unknown_variables(DEFAULT_TEMPLATES[code], TEMPLATE_SPECS[code].variables) == []
    rendered = text.render(DEFAULT_TEMPLATES[code], SAMPLE_CONTEXT, "中山人社")
    assert rendered.startswith("【中山人社】")
    assert text.measure(rendered).segments <= 2


def test_every_catalogued_template_has_a_default():
    assert set(TEMPLATE_SPECS) == set(DEFAULT_TEMPLATES)


@pytest.mark.parametrize(
    ("local", "release"),
    [
        (datetime.datetime(2026, 12, 1, 20, 59, tzinfo=BJ), None),
        (datetime.datetime(2026, 12, 1, 21, 0, tzinfo=BJ), datetime.datetime(2026, 12, 2, 8, 0, tzinfo=BJ)),
        (datetime.datetime(2026, 12, 1, 23, 30, tzinfo=BJ), datetime.datetime(2026, 12, 2, 8, 0, tzinfo=BJ)),
        (datetime.datetime(2026, 12, 2, 3, 0, tzinfo=BJ), datetime.datetime(2026, 12, 2, 8, 0, tzinfo=BJ)),
        (datetime.datetime(2026, 12, 2, 8, 0, tzinfo=BJ), None),
    ],
)
def test_quiet_hours_cross_midnight(local, release):
    assert schedule.quiet_until(local, "21:00-08:00") == release


def test_no_quiet_hours_when_unset():
    assert schedule.quiet_until(datetime.datetime(2026, 12, 1, 23, 0, tzinfo=BJ), "") is None


def test_backoff_doubles_and_is_capped():
    import random

    rng = random.Random(0)
    delays = [schedule.backoff_seconds(a, 30, 600, rng) for a in range(1, 8)]
    for attempt, delay in enumerate(delays, start=1):
        base = min(30 * 2 ** (attempt - 1), 600)
        assert base <= delay <= base * 1.1
    assert delays[-1] <= 660
