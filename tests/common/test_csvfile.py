"""Reading a partner's CSV file: the form of the file, every problem on its own line (pure: no database)."""

from __future__ import annotations

from sscard.common.csvfile import LineError, Wording, read

COLUMNS = ("a", "b")
WORDING = Wording(
    not_utf8="第{line}行不是UTF-8", nul="第{line}行有NUL", empty="空文件，应为{columns}", unreadable="读不了：{exc}",
    ragged="{got}列对{want}列",
    header=lambda p: f"缺{'、'.join(p.missing)}；重{'、'.join(p.doubled)}；多{'、'.join(p.unexpected)}",
)


def errors(data: bytes, **kwargs) -> list[tuple[int, str]]:
    return [(e.line, e.reason) for e in read(data, COLUMNS, WORDING, **kwargs)[1]]


def test_rows_come_with_the_line_they_start_on_and_stripped_values_by_column():
    data = '\ufeffb, a\r\n x ,1\r\n\r\n,\n"two\nlines",2\n'.encode()
    records, errs = read(data, COLUMNS, WORDING)
    assert errs == []
    assert [(r.line, r.values) for r in records] == [
        (2, {"b": "x", "a": "1"}), (5, {"b": "two\nlines", "a": "2"}),
    ]


def test_every_line_that_is_not_utf8_is_named():
    data = b"a,b\n" + "甲,1\n".encode("gbk") + b"x,2\n" + "乙,3\n".encode("gbk")
    assert read(data, COLUMNS, WORDING) == ([], [LineError(2, "第2行不是UTF-8"), LineError(4, "第4行不是UTF-8")])


def test_a_nul_byte_and_an_empty_file_leave_no_rows():
    assert errors(b"a,b\nx,1\ny,\x002\n") == [(3, "第3行有NUL")]
    assert errors(b" \r\n") == [(1, "空文件，应为a,b")]


def test_the_header_must_name_each_column_once():
    assert errors(b"a,a,c\n1,2,3\n") == [(1, "缺b；重a；多c")]
    assert errors(b"a,b,c\n1,2,3\n", extra_columns=True) == []


def test_ragged_rows_are_reported_and_reading_goes_on_to_a_truncated_end():
    records, errs = read(b'a,b\n1,2,3\n4\n5,6\n7,"8', COLUMNS, WORDING)
    assert [r.line for r in records] == [4]
    assert [(e.line, e.reason) for e in errs][:2] == [(2, "3列对2列"), (3, "1列对2列")]
    assert errs[2].line == 5 and errs[2].reason.startswith("读不了：")


def test_line_error_as_dict():
    assert LineError(3, "原因").as_dict() == {"line": 3, "reason": "原因"}
