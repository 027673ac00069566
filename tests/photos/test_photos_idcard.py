"""ID card pictures: one side, four corners, sharp, no glare, the side asked for."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sscard.photos import check_id_card
from sscard.photos.messages import ID_CARD_CODES


def _side(case) -> str:
    return case.kind.removeprefix("id-")


def test_good_cards_pass(card_subset):
    ok = [c for c in card_subset if not c.expect]
    refused = {c.name: check_id_card(c.data, _side(c)).codes for c in ok}
    assert not {k: v for k, v in refused.items() if v}, refused


def test_each_card_defect_is_named(card_subset):
    found, total = defaultdict(int), defaultdict(int)
    for c in card_subset:
        got = set(check_id_card(c.data, _side(c)).codes)
        for code in c.expect:
            total[code] += 1
            found[code] += code in got
    assert set(total) == set(ID_CARD_CODES)
    missed = {code for code in total if found[code] == 0}
    assert not missed, {code: f"{found[code]}/{total[code]}" for code in total}


def test_wrong_side_both_ways(card_subset):
    ok_front = next(c for c in card_subset if not c.expect and _side(c) == "front")
    ok_back = next(c for c in card_subset if not c.expect and _side(c) == "back")
    assert "wrong_side" in check_id_card(ok_front.data, "back").codes
    assert "wrong_side" in check_id_card(ok_back.data, "front").codes


def test_side_is_validated():
    with pytest.raises(ValueError):
        check_id_card(b"", "left")
