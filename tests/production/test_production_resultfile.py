"""Reading the card maker's result file: every bad line found, with its line number and a specific reason."""

from __future__ import annotations

import datetime

import pytest

from sscard.applications.numbers import format_number, is_valid
from sscard.production.resultfile import parse_results

DAY = datetime.date(2026, 3, 2)
HEADER = "application_number,result,card_number,card_id,bank,reason\n"
N1 = format_number(DAY, 1)
N2 = format_number(DAY, 2)
N3 = format_number(DAY, 3)
CARD_ID = "0123456789abcdef" * 2
OK1 = f"{N1},ok,A12345678,{CARD_ID},中国银行中山分行,\n"
FAILED2 = f"{N2},failed,,,,photo_unusable\n"


def parse(text: str | bytes):
    return parse_results(text.encode("utf-8") if isinstance(text, str) else text, valid_number=is_valid)


def errors(text) -> dict[int, str]:
    return {e.line: e.reason for e in parse(text).errors}


def test_a_good_file_gives_its_rows_normalised():
    parsed = parse(HEADER + OK1 + "\n" + FAILED2)  # a blank line is skipped, not an error
    assert parsed.errors == []
    ok, failed = parsed.rows
    assert (ok.line, ok.result, ok.card_number, ok.card_id, ok.bank) == (2, "ok", "A12345678", CARD_ID.upper(),
                                                                         "中国银行中山分行")
    assert (failed.line, failed.result, failed.reason) == (4, "failed", "photo_unusable")


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted():
    parsed = parse(b"\xef\xbb\xbf" + (HEADER + OK1 + FAILED2).replace("\n", "\r\n").encode())
    assert parsed.errors == [] and len(parsed.rows) == 2


def test_columns_may_come_in_any_order():
    parsed = parse(f"result,application_number,reason,bank,card_id,card_number\nfailed,{N2},data_error,,,\n")
    assert parsed.errors == [] and parsed.rows[0].reason == "data_error"


def test_not_utf8_names_every_line_that_is_not():
    data = (HEADER + OK1).encode() + f"{N2},failed,,,,数据错误\n".encode("gbk") + f"{N3},ok,,,农行,\n".encode("gbk")
    assert set(errors(data)) == {3, 4}
    assert "UTF-8" in errors(data)[3]
    assert parse(data).rows == []


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "文件是空的"),
        ("application_number,result,card_number,card_id,bank\n", 1, "表头缺少列：reason"),
        ("number,result,card_number,card_id,bank,reason\n", 1, "表头缺少列：application_number"),
        (HEADER.strip() + ",result\n", 1, "表头有重复的列：result"),
    ],
)
def test_a_bad_header_is_reported_on_line_1(text, line, words):
    assert words in errors(text)[line]


def test_every_bad_row_is_reported_with_its_own_reason():
    text = HEADER + "\n".join([
        f"{N1},ok,A1234567,{CARD_ID},工行,",                 # 2: card number 8 chars
        f"{N2},ok,A12345678,{CARD_ID[:-1]}g,工行,",          # 3: card id not hex
        f"{N3},ok,A12345679,{CARD_ID},,",                     # 4: no bank
        "ZS20260302000004X,failed,,,,data_error",              # 5: check character wrong
        f"{N1[:-1]}Q,maybe,,,,",                               # 6: number and result
        f"{format_number(DAY, 7)},failed,,,,照片不行",  # 7: reason not a word
        f"{format_number(DAY, 8)},failed,B00000001,,,data_error",  # 8
        f"{format_number(DAY, 9)},ok,B00000002,{CARD_ID},工行,other",  # 9
    ]) + "\n"
    found = errors(text)
    assert sorted(found) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "卡号（card_number）应为9位" in found[2]
    assert "卡识别码（card_id）应为32位十六进制数" in found[3]
    assert "须填写发卡银行" in found[4]
    assert "受理编号“ZS20260302000004X”格式不正确" in found[5]
    assert "结果（result）应为ok或failed" in found[6] and "受理编号" in found[6]
    assert "失败原因（reason）应为一个英文代码" in found[7]
    assert "制卡失败的行不应填写卡号" in found[8]
    assert "制卡成功的行不应填写失败原因" in found[9]
    assert parse(text).rows == []


def test_duplicates_in_the_file_name_the_first_line():
    text = HEADER + OK1 + f"{N1},failed,,,,data_error\n" + f"{N3},ok,A12345678,{CARD_ID},工行,\n"
    found = errors(text)
    assert found == {3: "受理编号与第2行重复", 4: "社会保障卡卡号A12345678与第2行重复"}


def test_a_truncated_file_is_reported_not_half_read():
    cut = HEADER + OK1 + f"{N2},ok,B12345678,{CARD_ID[:20]}"  # the file ends in the middle of a row
    found = errors(cut)
    assert list(found) == [3] and "这一行有4列，表头有6列" in found[3]
    quoted = HEADER + OK1 + f'{N2},failed,,,,"data_err'  # ends inside a quoted field
    assert list(errors(quoted)) == [3]


def test_extra_commas_make_a_ragged_row():
    found = errors(HEADER + f"{N1},ok,A12345678,{CARD_ID},中国银行,中山分行,\n")
    assert "这一行有7列，表头有6列" in found[2]
