import pytest

from sscard.addresses import TOWNS, check_address_detail, town_by_code


def test_twenty_three_towns_and_streets():
    assert len(TOWNS) == 23
    assert sum(t.kind == "街道" for t in TOWNS) == 8 and sum(t.kind == "镇" for t in TOWNS) == 15
    assert len({t.code for t in TOWNS}) == 23
    assert town_by_code("shiqi").name == "石岐街道"
    assert town_by_code("nowhere") is None


@pytest.mark.parametrize(
    "address",
    ["幸福小区5栋3单元602", "兴中道12号", "翠景花园三座1502房", "沙溪镇龙瑞村三巷8号", "紫马岭花园 A2栋 1203",
     "港口镇世纪东路2号金色家园10幢2单元301", "石岐区悦来南路33号之一", "XX小区3栋2单元501"],
)
def test_door_level_addresses_pass(address):
    result = check_address_detail(address)
    assert result.valid, result.message


@pytest.mark.parametrize(
    ("address", "code", "words"),
    [("幸福路", "not_door_level", "幸福小区5栋3单元602"), ("", "empty", "请填写详细地址"),
     ("幸福小区5栋", "missing_room", "还差单元和房号"), ("幸福小区602", "missing_building", "第几栋"),
     ("博爱七路", "not_door_level", "门牌号"), ("x" * 101, "too_long", "100")],
)
def test_imprecise_addresses_are_refused_with_a_specific_message(address, code, words):
    result = check_address_detail(address)
    assert [c for c, _ in result.problems] == [code]
    assert words in result.message
