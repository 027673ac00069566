"""The service PIN rules, table-driven (pure: no database)."""

import pytest

from sscard.cards.pin_policy import CODES, MESSAGES, RULES_FOR_PEOPLE, birthday_fragments, check_pin

# Born 1987-03-25; last six digits 251234 (not a birthday fragment here: see the tail cases below).
ID = "442000198703251234"


@pytest.mark.parametrize(("pin", "confirm", "code"), [
    # format
    ("", "", "pin_format"),
    ("12345", "12345", "pin_format"),
    ("1234567", "1234567", "pin_format"),
    ("12a456", "12a456", "pin_format"),
    ("１２３４５６", "１２３４５６", "pin_format"),  # full-width digits
    (" 48159", " 48159", "pin_format"),
    # mismatch
    ("481592", "481593", "pin_mismatch"),
    # birthday: YYMMDD, MMDDYY, DDMMYY, 6-digit windows of YYYYMMDD, MMDD / DDMM anywhere
    ("870325", "870325", "pin_birthday"),
    ("032587", "032587", "pin_birthday"),
    ("250387", "250387", "pin_birthday"),
    ("198703", "198703", "pin_birthday"),
    ("987032", "987032", "pin_birthday"),
    ("032590", "032590", "pin_birthday"),  # MMDD at the start
    ("910325", "910325", "pin_birthday"),  # MMDD at the end
    ("425039", "425039", "pin_birthday"),  # DDMM inside
    # the ID number's last six digits
    ("251234", "251234", "pin_id_tail"),
    # one digit repeated
    ("000000", "000000", "pin_repeated"),
    ("777777", "777777", "pin_repeated"),
    # runs, ascending and descending, wrapping 9→0
    ("123456", "123456", "pin_sequence"),
    ("654321", "654321", "pin_sequence"),
    ("567890", "567890", "pin_sequence"),
    ("890123", "890123", "pin_sequence"),
    ("109876", "109876", "pin_sequence"),
    # common PINs
    ("112233", "112233", "pin_common"),
    ("520520", "520520", "pin_common"),
    ("123123", "123123", "pin_common"),
    ("666888", "666888", "pin_common"),
    ("147258", "147258", "pin_common"),
])
def test_refused_pins_name_their_rule_in_chinese(pin, confirm, code):
    refusal = check_pin(pin, confirm, id_number=ID)
    assert refusal is not None and refusal.code == code
    assert refusal.message == MESSAGES[code]


@pytest.mark.parametrize("pin", ["481592", "730916", "295047", "860413"])
def test_ordinary_pins_are_accepted(pin):
    assert check_pin(pin, pin, id_number=ID) is None


def test_the_confirmation_is_optional_for_a_single_entry():
    assert check_pin("481592", None, id_number=ID) is None
    assert check_pin("123456", None, id_number=ID).code == "pin_sequence"


def test_birthday_and_tail_rules_need_the_holders_id_number():
    # 870325 is only a birthday for someone born on 25 March 1987.
    assert check_pin("870325", "870325", id_number="442000199106154562") is None
    assert check_pin("870325", "870325", id_number=ID).code == "pin_birthday"


def test_a_tail_ending_in_x_is_never_a_pin():
    assert check_pin("13421X", "13421X", id_number="44200019900101342X").code == "pin_format"


def test_birthday_fragments_from_the_id_number():
    six, four = birthday_fragments(ID)
    assert {"870325", "032587", "250387", "198703", "987032"} <= six
    assert four == {"0325", "2503"}
    assert birthday_fragments("") == (set(), set())
    assert birthday_fragments("H12345678") == (set(), set())


def test_every_code_has_a_chinese_message_and_the_page_lists_the_rules():
    assert set(CODES) == set(MESSAGES)
    assert all("服务密码" in MESSAGES[c] or "数字" in MESSAGES[c] for c in CODES)
    assert len(RULES_FOR_PEOPLE) == 6
