"""The stud finder on drawn pictures (issue #12, round nine): plain numpy, no face model.

The region is an ear-lobe zone: the jaw's skin on one side, the white wall on the other, a dark
sweater below, as in the evaluation set's pictures where a stud at the head's edge went unseen."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from sscard.photos.studs import _bounded, find_studs

FW = 400.0  # face width in pixels
W, H = 90, 110
SKIN = (205, 160, 135)
WALL = (250, 250, 248)
SWEATER = (60, 62, 70)
SILVER = (190, 190, 198)
GOLD = (212, 175, 70)
ROSE = (226, 196, 120)


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)


def _ref(colour) -> np.ndarray:
    return _lab(np.array([[colour]], np.uint8))[0, 0].astype(np.float32)


def _zone(seed: int = 0) -> np.ndarray:
    """The jaw's edge running down the middle (skin to the left), wall to the right, sweater below."""
    img = np.zeros((H, W, 3), np.float32)
    img[:] = WALL
    jaw = np.array([[0, 0], [48, 0], [40, 60], [0, 75]], np.int32)
    cv2.fillPoly(img, [jaw], SKIN)
    cv2.fillPoly(img, [np.array([[0, 75], [40, 60], [W, 70], [W, H], [0, H]], np.int32)], SWEATER)
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    img += np.random.default_rng(seed).normal(0, 2.5, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def _stud(img: np.ndarray, colour, centre=(42, 58), radius=8) -> np.ndarray:
    out = img.copy()
    cv2.circle(out, centre, radius, colour, -1)
    hi = tuple(min(255, int(v * 1.25 + 30)) for v in colour)
    cv2.circle(out, (centre[0] - radius // 3, centre[1] - radius // 3), max(1, radius // 3), hi, -1)
    return out


@pytest.mark.parametrize("colour", [SILVER, GOLD, ROSE], ids=["silver", "gold", "rose"])
def test_a_stud_where_the_jaw_meets_the_wall_is_found(colour):
    """Half on skin, half on wall and sweater: no median of its surroundings is skin, hair or wall.
    (Not a pearl as pale as the wall: that is not told from wall showing in a notch, below.)"""
    found = find_studs(_lab(_stud(_zone(), colour)), FW, _ref(SKIN), _ref(WALL))
    assert len(found) == 1, found
    x, y, _ = found[0]
    assert abs(x - 42) <= 3 and abs(y - 58) <= 3


def test_the_jaw_wall_and_sweater_alone_hold_no_stud():
    for seed in range(3):
        assert find_studs(_lab(_zone(seed)), FW, _ref(SKIN), _ref(WALL)) == []


def test_wall_showing_in_a_notch_is_not_a_stud():
    """A round bit of wall between the jaw and a dark collar is as round and as apart as a stud."""
    img = _stud(_zone(), WALL, centre=(45, 72), radius=8)
    assert find_studs(_lab(img), FW, _ref(SKIN), _ref(WALL)) == []


def test_a_piece_running_on_out_of_the_ring_is_not_bounded():
    """A patch of grey background between a close-up's jaw and collar passed the other tests on train
    (its colour drifts and is speckled, so the ring counts as apart): it runs on out of the window."""
    strip = np.zeros((37, 37), bool)
    strip[:, 12:25] = True
    blob = np.zeros((37, 37), bool)
    cv2.circle(blob.view(np.uint8), (18, 18), 8, 1, -1)
    assert not _bounded(strip, (18, 18), 8.0)
    assert _bounded(blob, (18, 18), 8.0)
