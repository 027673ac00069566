"""Reading the logistics file (pure: no database)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from sscard.logistics.fileformat import parse

ZS = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=ZS)
HEADER = "card_number,event,waybill,at\n"


def read(text: str, data: bytes | None = None):
    rows, errors = parse(data if data is not None else text.encode(), tz=ZS, now=NOW)
    return rows, [(e.line, e.reason) for e in errors]


def test_a_good_file_with_bom_blank_lines_and_crlf():
    rows, errors = read("", ("\ufeff" + HEADER + "a12345678,mailed,SF123456,2026-03-01T10:00:00Z\r\n\r\n"
                              "A12345679,delivered,,2026-03-02T09:00:00+08:00\r\n").encode())
    assert errors == []
    assert [(r.line, r.card_number, r.event, r.waybill) for r in rows] == [
        (2, "A12345678", "mailed", "SF123456"), (4, "A12345679", "delivered", ""),
    ]
    assert rows[0].at == datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


def test_every_bad_line_with_its_own_reason():
    rows, errors = read(HEADER + "\n".join([
        "A1234567,bank_received,,2026-03-01T10:00:00",       # 2 short card number
        "A12345678,mailed,,2026-03-01T10:00:00",             # 3 no waybill
        "A12345678,mailed,SF 12,2026-03-01T10:00:00",        # 4 bad waybill
        "A12345678,delivered,,2026-03-03T10:00:00",          # 5 in the future
        "A12345678,delivered,,",                             # 6 no time
        "A12345678,returned,,2026-03-01T10:00:00",           # 7 unknown event
    ]) + "\n")
    assert rows == []
    assert [line for line, _ in errors] == [2, 3, 4, 5, 6, 7]
    reasons = dict(errors)
    assert "9位" in reasons[2]
    assert "必须填写运单号" in reasons[3]
    assert "运单号应为" in reasons[4]
    assert "晚于当前时间" in reasons[5]
    assert "缺少时间" in reasons[6]
    assert "事件不认识：returned" in reasons[7]


def test_a_quoted_field_spanning_lines_is_reported_where_its_row_starts():
    rows, errors = read(HEADER + 'A12345678,"bank_\nreceived",,2026-03-01T10:00:00\nA12345679,x,,2026-03-01T10:00:00\n')
    assert [line for line, _ in errors] == [2, 4]


def test_empty_file_nul_byte_and_unterminated_quote():
    assert read("")[1] == [(1, "文件是空的：第1行应为标题行 card_number,event,waybill,at")]
    _, errors = read(HEADER + "A12345678,bank_received,,2026-03-01T10:00:00\x00\n")
    assert errors and errors[0][0] == 2 and "损坏" in errors[0][1]
    _, errors = read(HEADER + 'A12345678,bank_received,"2026-03-01')
    assert errors and errors[0][0] == 2
