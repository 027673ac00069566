"""What the words read off an ID card mean (photos.idcard_text): tables of what OCR engines really return."""

from __future__ import annotations

import datetime

import pytest

from sscard.photos.idcard_text import (
    LONG_TERM,
    Validity,
    chinese_date,
    find_id_number,
    find_name,
    find_validity,
    side_of,
)

D = datetime.date
NUMBER = "44200019900307123X"  # check digit X holds


@pytest.mark.parametrize(("lines", "expected"), [
    (["公民身份号码44200019900307123X"], NUMBER),
    (["公民身份号码", "44200019900307123X"], NUMBER),
    (["公民身份号码 4420 0019 9003 0712 3X"], NUMBER),  # read with spaces
    (["442000l99OO307123x"], NUMBER),  # l for 1, O for 0, lower-case x
    (["44200019900307123×"], NUMBER),  # multiplication sign for X
    (["4420001990030", "7123X"], NUMBER),  # split into two boxes
    (["744200019900307123X"], NUMBER),  # a stray digit read in front
    (["公民身份号码", "442000194203053148"], "442000194203053148"),  # born 1942, before Zhongshan's 442000 existed
    (["442000199003071234"], None),  # check digit wrong: a misread, not another person
    (["442000199013071236"], None),  # month 13
    (["4420001990030712"], None),  # too short
    (["姓名张三丰", "住址广东省中山市"], None),
    ([], None),
])
def test_id_number(lines, expected):
    assert find_id_number(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), [
    (["姓名张三丰"], "张三丰"),
    (["姓名", "张三丰", "性别", "男"], "张三丰"),
    (["姓 名 张 三 丰"], "张三丰"),
    (["姓名：欧阳娜娜"], "欧阳娜娜"),
    (["姓名阿卜杜•热合曼"], "阿卜杜·热合曼"),  # bullet read for the middle dot
    (["姓名", "性别男"], None),  # the next label is not a name
    (["姓名张"], None),  # one character: a partial read
    (["性别男", "民族汉"], None),
])
def test_name(lines, expected):
    assert find_name(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), [
    (["有效期限2016.03.01-2036.03.01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),
    (["有效期限", "2016.03.01-2036.03.01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),
    (["有效期限2016.03.01—2036.03.01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),  # em dash
    (["有效期限2016.03.01一2036.03.01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),  # 一 (one) for the dash
    (["有效期限2016.O3.0l-2036.03.01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),  # O and l
    (["有效期限20160301-20360301"], Validity(D(2016, 3, 1), D(2036, 3, 1))),  # dots not read
    (["有效期限 2016,03,01 - 2036,03,01"], Validity(D(2016, 3, 1), D(2036, 3, 1))),
    (["有效期限2016.03.01-长期"], Validity(D(2016, 3, 1), LONG_TERM)),
    (["有效期限2036.03.01-2016.03.01"], None),  # end before start: a misread
    (["有效期限2016.13.01-2036.03.01"], None),  # no 13th month
    (["签发机关中山市公安局"], None),
])
def test_validity(lines, expected):
    assert find_validity(lines) == expected


def test_expiry_is_judged_on_the_end_date():
    v = Validity(D(2010, 3, 1), D(2020, 3, 1))
    assert v.expired(D(2020, 3, 2))
    assert not v.expired(D(2020, 3, 1))  # valid through its last day
    assert not Validity(D(2016, 3, 1), LONG_TERM).expired(D(2099, 1, 1))
    assert not Validity(None, None).expired(D(2099, 1, 1))


@pytest.mark.parametrize(("lines", "expected"), [
    (["姓名张三丰", "公民身份号码44200019900307123X"], "front"),
    (["44200019900307123X"], "front"),  # the number alone says front
    (["签发机关中山市公安局", "有效期限2016.03.01-2036.03.01"], "back"),
    (["2016.03.01-长期"], "back"),
    (["中华人民共和国", "居民身份证"], "back"),
    (["样本"], None),
    ([], None),
    (["公民身份号码", "有效期限"], None),  # both: say nothing
])
def test_side(lines, expected):
    assert side_of(lines) == expected


def test_dates_are_written_the_chinese_way():
    assert chinese_date(D(2020, 3, 1)) == "2020年3月1日"
