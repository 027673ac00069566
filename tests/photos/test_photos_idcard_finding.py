"""Finding the ID card on the surfaces people really photograph it on, and telling glare from the card's
own white print (issue #12, round two)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from sscard.photos import check_id_card
from tests.support import photo_evalset as evalset


def _jpeg(img: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _front_with_white_portrait() -> np.ndarray:
    """The portrait side as printed: the holder's photo on a pure white ground (every resident ID card's
    photo has one), pasted unshaded where the card carries it."""
    from sscard.demo.idcard_drawing import draw_front
    from sscard.demo.photos import portrait_rgb

    photo = portrait_rgb(wall=(255.0, 255.0, 255.0))
    card = draw_front("张三丰", "44200019900307123X", "广东省中山市石岐区民生路1号", photo).astype(np.float32)
    ph = cv2.resize(photo, (230, 290), interpolation=cv2.INTER_AREA).astype(np.float32)
    wall = ph.min(axis=2) >= 235
    ph[wall] = 255.0
    card[70:360, 580:810] = ph
    return card


def _on_table(card: np.ndarray, table: np.ndarray, tilt: float, seed: int, hand: bool = False) -> bytes:
    """The card a little turned and tilted away by ``tilt`` degrees on ``table``, maybe shadowed and held."""
    rng = np.random.default_rng(seed)
    h, w = table.shape[:2]
    quad = evalset._tilt(evalset._card_quad(w * 0.5, h * 0.5, w * 0.6, 0.1, 0.02, rng), tilt, rng)
    img = evalset._place(table, card, quad)
    if hand:
        img = evalset._shadow_and_hand(img, quad, rng, hand=True)
    return _jpeg(img + rng.normal(0, 2, img.shape).astype(np.float32))


def _dark_desk(h: int = 1500, w: int = 2000) -> np.ndarray:
    return np.full((h, w, 3), 60.0, np.float32)


def test_white_portrait_background_is_not_glare():
    """A clean portrait side whose photo has a white ground: the photo's white is print, not a reflection."""
    rep = check_id_card(_on_table(_front_with_white_portrait(), _dark_desk(), 0, seed=3), "front", reader=None)
    assert "glare" not in rep.codes, rep.metrics
    assert rep.ok, rep.codes


@pytest.mark.parametrize("where", [(300, 300), (690, 220)], ids=["beside the photo", "on the photo"])
def test_a_reflection_is_still_glare(where):
    card = _front_with_white_portrait()
    g = np.zeros(card.shape[:2], np.float32)
    cv2.ellipse(g, where, (110, 70), 20, 0, 360, 1.0, -1)
    card = card + cv2.GaussianBlur(g, (0, 0), 12)[..., None] * 400
    rep = check_id_card(_on_table(card, _dark_desk(), 0, seed=4), "front", reader=None)
    assert "glare" in rep.codes, rep.metrics


def _checked_cloth(h: int = 1500, w: int = 2000, cell: int = 90) -> np.ndarray:
    """A checked tablecloth whose light squares are nearly as light as a card in the shade."""
    yy, xx = np.mgrid[0:h, 0:w]
    chk = ((xx // cell + yy // cell) % 2).astype(np.float32)[..., None]
    return np.array([70, 60, 90], np.float32) * (1 - chk) + np.array([165, 160, 150], np.float32) * chk


def _green_cloth(h: int = 1500, w: int = 2000) -> np.ndarray:
    return np.full((h, w, 3), (55, 115, 75), np.float32)


@pytest.mark.parametrize(
    ("surface", "tilt", "hand"),
    [("checked cloth", 0, False), ("checked cloth", 30, True), ("green cloth", 30, True)],
)
def test_card_is_found_on_cloth(surface, tilt, hand):
    table = _checked_cloth() if surface == "checked cloth" else _green_cloth()
    for side in ("front", "back"):
        rng = np.random.default_rng(11)
        face = evalset._astronaut_head() if side == "front" else None
        card = evalset.draw_card(side, rng, face)
        rep = check_id_card(_on_table(card, table, tilt, seed=5, hand=hand), side, reader=None)
        assert "card_not_found" not in rep.codes, (side, rep.codes, rep.metrics)
        assert rep.ok, (side, rep.codes, rep.metrics)
