"""The ID card check reading the card (RapidOCR, models from the installed package): an expired card is
refused, the side is told by its words, and a card that cannot be read is not refused for that alone."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from sscard.demo.idcard_drawing import draw_back, draw_front
from sscard.photos import check_id_card, idcard_reading
from sscard.photos.idcard_reading import (
    BackReading,
    FrontReading,
    RapidOCRReader,
    reader_named,
    register_reader,
)
from tests.support.idcard_photos import (
    FONT_MISSING,
    HAVE_CJK_FONT,
    back_photo,
    card_face,
    front_photo,
    photographed,
    unreadable,
)

pytestmark = pytest.mark.skipif(not HAVE_CJK_FONT, reason=FONT_MISSING)

TODAY = datetime.date(2026, 12, 1)
NUMBER = "44200019900307123X"


@pytest.fixture(scope="module")
def reader():
    return RapidOCRReader()


def test_expired_back_is_refused_naming_the_date(reader):
    report = check_id_card(back_photo("2010.03.01-2020.03.01"), "back", reader=reader, today=TODAY)
    assert report.codes == ["id_card_expired"]
    problem = report.problems[0]
    assert problem.message == "身份证已过有效期（有效期至2020年3月1日），请使用有效的身份证。"
    assert "临时身份证" in problem.tip


def test_expired_back_photographed_upside_down_is_refused(reader):
    report = check_id_card(back_photo("2005.06.01-2015.06.01", upside_down=True), "back", reader=reader, today=TODAY)
    assert report.codes == ["id_card_expired"]


def test_valid_back_is_accepted(reader):
    report = check_id_card(back_photo("2020.06.01-2040.06.01"), "back", reader=reader, today=TODAY)
    assert report.ok, report.codes
    assert report.reading.valid_until == datetime.date(2040, 6, 1)
    # The card expires on its last day, not before.
    assert check_id_card(back_photo("2016.12.01-2026.12.01"), "back", reader=reader, today=TODAY).ok


def test_long_term_back_is_accepted(reader):
    report = check_id_card(back_photo("2016.03.01-长期"), "back", reader=reader, today=TODAY)
    assert report.ok, report.codes
    assert report.reading.valid_until == "长期"


def test_front_reads_name_and_number(reader):
    report = check_id_card(front_photo("张三丰", NUMBER), "front", reader=reader, today=TODAY)
    assert report.ok, report.codes
    assert (report.reading.name, report.reading.id_number, report.reading.side_read) == ("张三丰", NUMBER, "front")
    assert "id_number" not in str(report.to_dict())  # what is sent to the browser carries no reading


def test_the_words_tell_the_sides_apart(reader):
    assert check_id_card(front_photo("张三丰", NUMBER), "back", reader=reader, today=TODAY).codes == ["wrong_side"]
    assert check_id_card(back_photo("2020.06.01-2040.06.01"), "front", reader=reader, today=TODAY).codes == [
        "wrong_side"]


def test_a_front_without_a_findable_face_is_told_by_its_words(reader):
    # No face on the card's photo (a faded print): without the words the check would call it the back.
    blank = np.full((290, 230, 3), 200, np.uint8)
    data = photographed(draw_front("张三丰", NUMBER, "广东省中山市石岐区民生路1号", blank))
    assert check_id_card(data, "front", reader=None).codes == ["wrong_side"]
    assert check_id_card(data, "front", reader=reader, today=TODAY).ok


def test_an_unreadable_card_is_not_refused_for_that(reader):
    expired_back = photographed(unreadable(draw_back(valid="2005.01.01-2015.01.01")))
    report = check_id_card(expired_back, "back", reader=reader, today=TODAY)
    assert report.ok, report.codes
    assert not report.reading.read_anything and report.reading.side_read is None
    front = photographed(unreadable(draw_front("张三丰", NUMBER, "广东省中山市石岐区民生路1号", card_face())))
    report = check_id_card(front, "front", reader=reader, today=TODAY)
    assert report.ok, report.codes  # the side is then told by the face, as without OCR
    assert report.reading.id_number is None


class _Broken:
    name = "broken"

    def read_front(self, card):
        raise RuntimeError("engine down")

    def read_back(self, card):
        raise RuntimeError("engine down")


def test_an_engine_failure_costs_no_upload():
    report = check_id_card(back_photo("2005.01.01-2015.01.01"), "back", reader=_Broken(), today=TODAY)
    assert report.ok, report.codes
    assert report.reading.error == "RuntimeError"


class _Fixed:
    """Another engine, plugged in through the interface."""

    name = "fixed"

    def read_front(self, card):
        assert card.shape == (540, 856, 3)  # the card, straightened, not the whole photo
        return FrontReading("李四", "11010519491231002X", 0.9)

    def read_back(self, card):
        return BackReading(datetime.date(2001, 1, 1), datetime.date(2011, 1, 1), 0.9, ("有效期限",))


def test_another_engine_can_be_plugged_in(monkeypatch):
    monkeypatch.setattr(idcard_reading, "READERS", dict(idcard_reading.READERS))
    register_reader("fixed", _Fixed)
    monkeypatch.setattr("sscard.config.ID_OCR", "fixed")
    report = check_id_card(back_photo("2020.06.01-2040.06.01"), "back", today=TODAY)
    assert report.codes == ["id_card_expired"] and report.reading.engine == "fixed"
    assert check_id_card(front_photo("张三丰", NUMBER), "front", today=TODAY).reading.id_number == "11010519491231002X"


def test_off_reads_nothing(monkeypatch):
    monkeypatch.setattr("sscard.config.ID_OCR", "off")
    report = check_id_card(back_photo("2005.01.01-2015.01.01"), "back", today=TODAY)
    assert report.ok and report.reading is None


def test_an_unknown_engine_name_is_a_configuration_error():
    with pytest.raises(ValueError, match="SSCARD_ID_OCR"):
        reader_named("tesseract")
