"""The logistics file from the bank and the courier (pure: no Django), docs/logistics.md.

UTF-8 (a byte-order mark is accepted), a header row naming the columns ``card_number,event,waybill,at`` (any
order), one event per row. Reading never stops at the first problem: every bad line is reported with its line
number and a Chinese reason, and the caller applies nothing when there is one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sscard.common import csvfile
from sscard.common.csvfile import LineError

COLUMNS = ("card_number", "event", "waybill", "at")
EVENTS = ("bank_received", "mailed", "delivered", "delivery_failed", "branch_received")
CARD_NUMBER_RE = re.compile(r"[0-9A-Z]{9}")
WAYBILL_RE = re.compile(r"[A-Za-z0-9-]{6,40}")
# A bank's or courier's clock may run a little ahead of ours; an event further in the future is a mistake.
MAX_FUTURE = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Row:
    line: int
    card_number: str
    event: str
    waybill: str
    at: datetime.datetime


def parse_time(text: str, tz: ZoneInfo, now: datetime.datetime) -> tuple[datetime.datetime | None, str]:
    """An ISO 8601 time; without an offset it is local time (``tz``). Returns (time, "") or (None, reason)."""
    text = text.strip()
    if not text:
        return None, "缺少时间（at）"
    try:
        at = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None, f"时间不是 ISO 8601 格式：{text}（例：2026-03-01T10:30:00+08:00）"
    if at.tzinfo is None:
        at = at.replace(tzinfo=tz)
    if at > now + MAX_FUTURE:
        return None, f"时间晚于当前时间：{text}"
    return at, ""


def check_fields(
    *, card_number: str, event: str, waybill: str, at: str, tz: ZoneInfo, now: datetime.datetime,
    events=EVENTS, card_number_required: bool = True,
) -> tuple[dict | None, list[str]]:
    """The checks one event needs before any database look-up; returns (clean fields, []) or (None, reasons)."""
    reasons = []
    card_number = card_number.strip().upper()
    event = event.strip()
    waybill = waybill.strip()
    if card_number or card_number_required:
        if not CARD_NUMBER_RE.fullmatch(card_number):
            reasons.append(f"卡号应为9位数字或大写字母：{card_number or '（空）'}")
    if event not in events:
        reasons.append(f"事件不认识：{event or '（空）'}（应为 {'、'.join(events)} 之一）")
    if event == "mailed" and not waybill:
        reasons.append("寄出（mailed）必须填写运单号（waybill）")
    if waybill and not WAYBILL_RE.fullmatch(waybill):
        reasons.append(f"运单号应为6至40位字母、数字或短横线：{waybill}")
    when, reason = parse_time(at, tz, now)
    if reason:
        reasons.append(reason)
    if reasons:
        return None, reasons
    return {"card_number": card_number, "event": event, "waybill": waybill, "at": when}, []


WORDING = csvfile.Wording(
    not_utf8="文件不是 UTF-8 编码（第{line}行有无法识别的字节），请另存为 UTF-8 后重新导入",
    nul="第{line}行含有空字节（NUL），文件可能已损坏，请重新导出",
    empty="文件是空的：第1行应为标题行 {columns}",
    unreadable="无法读取这一行（文件可能不完整或已损坏）：{exc}",
    ragged="应有{want}列，实际{got}列（文件可能不完整）",
    header=lambda problems: f"标题行应为 {','.join(COLUMNS)}，实际为 {','.join(problems.header)}",
)


def parse(data: bytes, *, tz: ZoneInfo, now: datetime.datetime) -> tuple[list[Row], list[LineError]]:
    """Every good row and every bad line of a logistics file."""
    records, errors = csvfile.read(data, COLUMNS, WORDING)
    rows: list[Row] = []
    for record in records:
        fields, reasons = check_fields(**record.values, tz=tz, now=now)
        if reasons:
            errors.append(LineError(record.line, "；".join(reasons)))
        else:
            rows.append(Row(line=record.line, **fields))
    errors.sort(key=lambda e: e.line)
    return rows, errors
