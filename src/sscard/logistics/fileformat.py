"""The logistics file from the bank and the courier (pure: no Django), docs/logistics.md.

UTF-8 (a byte-order mark is accepted), a header row naming the columns ``card_number,event,waybill,at`` (any
order), one event per row. Reading never stops at the first problem: every bad line is reported with its line
number and a Chinese reason, and the caller applies nothing when there is one.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

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


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason}


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


def parse(data: bytes, *, tz: ZoneInfo, now: datetime.datetime) -> tuple[list[Row], list[LineError]]:
    """Every good row and every bad line of a logistics file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [LineError(line, f"文件不是 UTF-8 编码（第{line}行有无法识别的字节），请另存为 UTF-8 后重新导入")]
    if "\x00" in text:  # a binary file or a broken transfer, never a text export
        line = text[: text.index("\x00")].count("\n") + 1
        return [], [LineError(line, f"第{line}行含有空字节（NUL），文件可能已损坏，请重新导出")]
    if not text.strip():
        return [], [LineError(1, f"文件是空的：第1行应为标题行 {','.join(COLUMNS)}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    errors: list[LineError] = []
    header: list[str] | None = None
    read = 0  # lines read so far; a quoted field may span lines, so a row is reported where it starts
    try:
        for record in reader:
            start, read = read + 1, reader.line_num
            if header is None:
                header = [name.strip() for name in record]
                if sorted(header) != sorted(COLUMNS):
                    return [], [LineError(start, f"标题行应为 {','.join(COLUMNS)}，实际为 {','.join(header)}")]
                continue
            if not any(field.strip() for field in record):
                continue  # a blank line
            if len(record) != len(header):
                errors.append(LineError(start, f"应有{len(header)}列，实际{len(record)}列（文件可能不完整）"))
                continue
            values = dict(zip(header, record, strict=True))
            fields, reasons = check_fields(**values, tz=tz, now=now)
            if reasons:
                errors.append(LineError(start, "；".join(reasons)))
                continue
            rows.append(Row(line=start, **fields))
    except csv.Error as exc:  # an unterminated quote in a truncated file
        errors.append(LineError(read + 1, f"无法读取这一行（文件可能不完整或已损坏）：{exc}"))
    return rows, errors
