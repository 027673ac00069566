import datetime
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from sscard.identity import check_id_number
from sscard.identity.cli import check_id_main

TODAY = datetime.date(2026, 11, 29)


def codes(result):
    return [p.code for p in result.problems]


class TestAgreesWithStdnum:
    # The examples python-stdnum documents for stdnum.cn.ric.
    def test_documented_valid_number(self):
        result = check_id_number("360426199101010071", TODAY)
        assert result.valid
        assert result.normalized == ric.validate("360426199101010071")
        assert result.birth_date == ric.get_birth_date("360426199101010071")
        assert result.region == "江西省德安县"
        assert result.sex == "M"

    @given(
        region=st.sampled_from(["442000", "440101", "360426", "110101", "310104"]),
        born=st.dates(datetime.date(1988, 1, 1), datetime.date(2025, 12, 31)),
        seq=st.integers(0, 999),
    )
    def test_same_verdict_as_stdnum_for_generated_numbers(self, region, born, seq):
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        for check in "0123456789X":
            number = body + check
            assert check_id_number(number, TODAY).valid == ric.is_valid(number), number

    @given(st.integers(0, 16), st.integers(1, 9))
    def test_every_single_digit_typo_is_caught(self, position, delta):
        number = "442000199001011233"
        digit = (int(number[position]) + delta) % 10
        typo = number[:position] + str(digit) + number[position + 1 :]
        assert not check_id_number(typo, TODAY).valid


class TestWhatPeopleType:
    def test_full_width_spaces_hyphens_and_lower_case_x_are_normalised(self):
        result = check_id_number(" ４４２０００-1990 0101-123x ", TODAY)
        assert result.normalized == "44200019900101123X"
        assert codes(result) == ["wrong_check_digit"]  # normalised, then really checked

    def test_valid_number_with_x_typed_in_lower_case(self):
        body = "44200019900101234"
        number = body + ric.calc_check_digit(body + "0")
        result = check_id_number(number.lower(), TODAY)
        assert result.valid and result.normalized == number

    def test_letter_o_names_its_position(self):
        result = check_id_number("442000199O01011233", TODAY)
        assert result.problems[0].message == "第10位是字母O，应为数字0"

    def test_letter_o_at_position_7(self):
        result = check_id_number("442000O99001011233", TODAY)
        assert "第7位是字母O，应为数字0" in result.message

    @pytest.mark.parametrize(("char", "label"), [("l", "小写字母l"), ("I", "大写字母I")])
    def test_l_and_i_for_one(self, char, label):
        result = check_id_number(f"44200019900{char}011233", TODAY)
        assert result.problems[0].message == f"第12位是{label}，应为数字1"

    def test_wrong_length_says_how_many(self):
        result = check_id_number("44200019900101123", TODAY)
        assert codes(result) == ["wrong_length"]
        assert "您填写了17位" in result.message

    def test_impossible_birth_date(self):
        result = check_id_number("442000199002301235", TODAY)
        assert "impossible_birth_date" in codes(result)
        assert "第7–14位是出生日期" in result.message and "19900230" in result.message

    def test_future_birth_date(self):
        body = "44200020300101123"
        result = check_id_number(body + ric.calc_check_digit(body + "0"), TODAY)
        assert codes(result) == ["impossible_birth_date"]

    def test_wrong_check_digit(self):
        result = check_id_number("442000199001011234", TODAY)
        assert codes(result) == ["wrong_check_digit"]
        assert "第18位" in result.message

    def test_old_15_digit_number(self):
        assert codes(check_id_number("442000900101123", TODAY)) == ["old_15_digit"]

    def test_x_anywhere_but_the_end(self):
        result = check_id_number("4420001990X1011233", TODAY)
        assert result.problems[0].message.startswith("第11位是字母X")

    def test_empty(self):
        assert codes(check_id_number("   ", TODAY)) == ["empty"]

    def test_unknown_region(self):
        body = "99999919900101123"
        result = check_id_number("0" + body[1:] + ric.calc_check_digit("0" + body[1:] + "0"), TODAY)
        assert "unknown_region" in codes(result)


class TestOtherDocuments:
    def test_foreign_permanent_residence_id(self):
        result = check_id_number("932682198501010017", TODAY)
        assert result.valid
        assert result.type == "foreign_permanent"
        assert result.birth_date == datetime.date(1985, 1, 1)

    @pytest.mark.parametrize(
        ("prefix", "kind", "region"),
        [("810000", "hk_macao_resident", "香港"), ("820000", "hk_macao_resident", "澳门"),
         ("830000", "taiwan_resident", "台湾")],
    )
    def test_residence_permits(self, prefix, kind, region):
        body = f"{prefix}19900101123"
        result = check_id_number(body + ric.calc_check_digit(body + "0"), TODAY)
        assert result.valid and result.type == kind and result.region == region

    def test_zhongshan_number_of_a_person_born_before_1988_is_valid(self):
        # stdnum's own validate() refuses this (442000 was created in 1988), but such numbers exist.
        body = "44200019600101123"
        number = body + ric.calc_check_digit(body + "0")
        assert not ric.is_valid(number)
        result = check_id_number(number, TODAY)
        assert result.valid and result.region == "广东省中山市" and result.age == 66


def test_result_fields_and_masking():
    result = check_id_number("442000199001011233", TODAY).as_dict()
    assert result["masked"] == "4420**********1233"
    assert result["sex"] == "M" and result["birth_date"] == "1990-01-01" and result["type"] == "resident"
    assert result["age"] == 36


def test_check_id_command_prints_json_lines_and_exit_codes(capsys):
    assert check_id_main(["442000199001011233", "932682198501010017"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["valid"] for line in lines] == [True, True]
    assert set(lines[0]) == {"input", "valid", "normalized", "type", "birth_date", "sex", "region", "masked", "problems"}
    assert check_id_main(["442000199O01011233"]) == 1
    line = json.loads(capsys.readouterr().out)
    assert line["problems"] == [{"code": "confusable_character", "message": "第10位是字母O，应为数字0"}]


def test_sscard_console_command_runs_check_id():
    done = subprocess.run(
        [sys.executable, "-m", "sscard.cli", "check-id", "442000199001011233"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["masked"] == "4420**********1233"
