"""The necklace measure on drawn pictures (issue #12, round three): plain numpy, no face model."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from sscard.photos.necklace import chain_span

FW = 400.0  # face width in pixels
W, H = 300, 260  # the region under the chin: 0.75 x 0.65 face widths
CX = W / 2
SKIN = (205, 160, 135)
SWEATER = (60, 62, 70)
SILVER = (190, 190, 198)
GOLD = (212, 175, 70)
THRESHOLD = 0.18  # PhotoConfig.jewel_necklace_min_span
SHORT_ARM = 0.08  # PhotoConfig.jewel_necklace_min_short_arm


def _noisy(img: np.ndarray, seed: int = 0) -> np.ndarray:
    r = np.random.default_rng(seed)
    out = img.astype(np.float32) + r.normal(0, 3, img.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)


def _arc(img, colour, top=40.0, half=0.26 * FW, sag=0.2 * FW, thick=5, x_range=(-1.0, 1.0)):
    xs = np.linspace(-half * -x_range[0], half * x_range[1], 40)
    pts = np.stack([CX + xs, top + sag * (1 - (xs / half) ** 2)], axis=1).astype(np.int32)
    cv2.polylines(img, [pts], False, colour, thick)
    hi = tuple(min(255, int(v * 1.25 + 30)) for v in colour)
    cv2.polylines(img, [pts + [0, -2]], False, hi, 2)
    return img


def _skin() -> np.ndarray:
    return np.full((H, W, 3), SKIN, np.uint8)


@pytest.mark.parametrize("colour", [SILVER, GOLD], ids=["silver", "gold"])
def test_a_chain_on_skin_is_found(colour):
    span, found = chain_span(_lab(_noisy(_arc(_skin(), colour))), FW, CX)
    assert span >= THRESHOLD, found


def test_a_silver_chain_on_a_dark_sweater_is_found():
    img = np.full((H, W, 3), SWEATER, np.uint8)
    span, found = chain_span(_lab(_noisy(_arc(img, SILVER))), FW, CX)
    assert span >= THRESHOLD, found


def test_bare_skin_has_no_chain():
    assert chain_span(_lab(_noisy(_skin())), FW, CX)[0] == 0.0


def test_a_round_neckline_is_not_a_chain():
    """Skin above, a sweater below, the edge hanging in the same arc a necklace would: an edge, not a line."""
    img = _skin()
    xs = np.arange(W)
    edge = 40 + 0.2 * FW * (1 - ((xs - CX) / (0.26 * FW)) ** 2)
    below = np.arange(H)[:, None] > np.maximum(edge, 40)[None, :]
    img[below] = SWEATER
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span < THRESHOLD, found


def test_straight_stripes_are_not_a_chain():
    """Pinstripes and a tie's stripes: thin, light lines, but straight, and none runs from the middle."""
    img = np.full((H, W, 3), SWEATER, np.uint8)
    for x in range(-200, W, 28):
        cv2.line(img, (x, H), (x + 150, 0), (200, 200, 205), 2)
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span < THRESHOLD, found


def test_one_arm_of_a_chain_is_not_enough():
    """Cut off at the middle (a collar hiding one side): not judged a necklace on one arm alone."""
    img = _arc(_skin(), SILVER, x_range=(0.0, 1.0))
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span < THRESHOLD, found


def test_no_neck_in_the_picture_is_no_chain():
    """The chin at the picture's bottom edge leaves an empty region (found by the evaluation set)."""
    assert chain_span(np.zeros((0, 0, 3), np.uint8), FW, CX)[0] == 0.0
    assert chain_span(np.zeros((3, W, 3), np.uint8), FW, CX)[0] == 0.0


PALE_GOLD = (236, 220, 140)
PALE_SKIN = (225, 190, 150)  # yellowish: the pale gold is hardly yellower than it, but far lighter


def test_a_pale_gold_chain_with_a_pendant_on_yellowish_skin_is_found():
    """Round five (train seed 0): a pale gold chain on fair, yellowish skin has no yellow step over the
    skin, and the pendant at its lowest point cuts the chain's first columns beside the middle off
    from the rest of the run. Both are still a necklace."""
    img = np.full((H, W, 3), PALE_SKIN, np.uint8)
    top, sag = 40.0, 0.2 * FW
    _arc(img, PALE_GOLD, top=top, sag=sag, thick=3)
    rad = int(0.03 * FW)
    cv2.circle(img, (int(CX + 0.02 * FW), int(top + sag + rad)), rad, (212, 175, 70), -1)
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span >= THRESHOLD, found


PEARL = (236, 232, 222)
SHIRT = (244, 244, 244)
TIE = (40, 50, 110)


def _tie_and_shirt(tie_right: float) -> np.ndarray:
    """A white shirt with a dark tie from the left edge to ``tie_right`` face widths right of the middle."""
    img = np.full((H, W, 3), SHIRT, np.uint8)
    img[:, : int(CX + tie_right * FW)] = TIE
    return img


def test_a_pearl_chain_lost_on_a_white_shirt_counts_by_its_one_long_arm():
    """Round ten (train: biden_official): a pearl chain crossing a dark tie is lost on the white shirt
    beside it. One arm runs far up, the other only begins: not a span, but the one-armed measure."""
    img = _arc(_tie_and_shirt(0.12), PEARL, thick=4)
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span < THRESHOLD, found
    assert found["short_arm"] >= SHORT_ARM, found


def test_a_flat_one_armed_line_does_not_count():
    """The same, hanging little (the lines of a shirt's print lie flatter than a chain hangs)."""
    img = _arc(_tie_and_shirt(0.12), PEARL, thick=4, sag=0.1 * FW)
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert span < THRESHOLD, found
    assert found["short_arm"] == 0.0, found


def test_one_long_arm_alone_does_not_count():
    """Cut off at the middle: the other arm never begins, so the one-armed measure stays below its threshold."""
    img = _arc(_tie_and_shirt(0.6), PEARL, thick=4, x_range=(0.0, 1.0))
    span, found = chain_span(_lab(_noisy(img)), FW, CX)
    assert found["short_arm"] < SHORT_ARM, found
