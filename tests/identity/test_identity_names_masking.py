import pytest

from sscard.identity import check_name, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("张三", "张三"), (" 张 三 ", "张三"), ("阿卜杜•热合曼", "阿卜杜·热合曼"), ("阿卜杜.热合曼", "阿卜杜·热合曼"),
     ("阿卜杜・热合曼", "阿卜杜·热合曼"), ("𠀾明", "𠀾明"), ("ＬＩ", None)],
)
def test_names_are_normalised(typed, expected):
    result = check_name(typed)
    if expected is None:
        assert not result.valid
    else:
        assert result.valid, result.message
        assert result.normalized == expected


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [("", "empty", "请填写姓名"), ("张3", "digit_in_name", "不能有数字"), ("·李", "misplaced_dot", "两个字之间"),
     ("李··明", "misplaced_dot", "两个字之间"), ("王", "too_short", "至少两个字"), ("张@三", "odd_character", "“@”"),
     ("Zhang San", "latin_in_name", "到网点办理")],
)
def test_odd_names_are_explained(typed, code, words):
    result = check_name(typed)
    assert code in [p.code for p in result.problems]
    assert words in result.message


def test_masking():
    assert mask_id_number("442000199001011233") == "4420**********1233"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_id_number("") == ""
