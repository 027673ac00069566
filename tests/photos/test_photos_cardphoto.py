"""The production photo meets every number of the card-photo spec."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sscard.photos import CardPhotoError, make_card_photo
from sscard.photos.cardphoto import measure_card_photo


def test_card_photo_meets_the_spec(portrait_subset):
    compliant = [c for c in portrait_subset if c.defect == "compliant"][:4]
    for case in compliant:
        out = make_card_photo(case.data)
        with Image.open(io.BytesIO(out)) as im:
            assert im.format == "JPEG" and im.mode == "RGB" and im.size == (358, 441)
        assert 14 * 1024 <= len(out) <= 40 * 1024
        m = measure_card_photo(out)
        assert 179 <= m["face_width"] <= 255, m
        assert m["eye_from_bottom"] >= 207, m
        assert 7 <= m["hair_top"] <= 21, m
        assert 162 <= m["eye_x"] <= 196, m
        assert m["background_white_share"] >= 0.95, m
        assert abs(m["roll_deg"]) <= 3, m


def test_card_photo_refuses_a_failing_portrait(portrait_subset):
    bad = next(c for c in portrait_subset if c.defect == "background_not_white")
    with pytest.raises(CardPhotoError) as err:
        make_card_photo(bad.data)
    assert "background_not_white" in [p.code for p in err.value.problems]
