"""The hoop finder on drawn pictures (issue #12, round ten): plain numpy, no face model.

The region is an ear-lobe zone: the jaw's skin above, a dark sweater below, the white wall to the
right, as in the evaluation set's pictures where a silver or pearl hoop went unseen."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from sscard.photos.colour import median_reference
from sscard.photos.hoops import find_hoops

FW = 400.0  # face width in pixels
W, H = 100, 120
SKIN = (205, 160, 135)
WALL = (250, 250, 248)
SWEATER = (60, 62, 70)
SILVER = (190, 190, 198)
PEARL = (236, 232, 222)


def _zone(seed: int = 0) -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)
    img[:] = SWEATER
    img[:30] = SKIN
    img[:, 80:] = WALL
    img += np.random.default_rng(seed).normal(0, 2.5, img.shape)
    return img


def _find(img: np.ndarray):
    px8 = cv2.cvtColor(np.clip(img, 0, 255).astype(np.uint8), cv2.COLOR_RGB2LAB)
    ref8 = median_reference(px8, int(FW * 0.1) | 1)  # (the window the portrait check uses)
    skin_lab = cv2.cvtColor(np.array([[SKIN]], np.uint8), cv2.COLOR_RGB2LAB)[0, 0].astype(np.float32)
    skin = np.sqrt(((px8.astype(np.float32) - skin_lab) ** 2).sum(axis=2)) < 20
    return find_hoops(px8, ref8, skin, FW)


def _hoop(img, colour, centre=(40, 70), axes=(20, 26), thick=5):
    cv2.ellipse(img, centre, axes, 0, 0, 360, colour, thick)
    return img


@pytest.mark.parametrize("colour", [SILVER, PEARL], ids=["silver", "pearl"])
def test_a_hoop_on_a_dark_sweater_is_found(colour):
    found = _find(_hoop(_zone(), colour))
    assert len(found) == 1, found
    x, y, w, h, _ = found[0]
    assert abs(x + w / 2 - 40) <= 2 and abs(y + h / 2 - 70) <= 2


def test_nothing_is_found_on_bare_skin_sweater_and_wall():
    assert _find(_zone()) == []


def test_a_filled_disc_is_not_a_hoop():
    """A stud or a button: no hole (studs are the piece measure's and studs.py's)."""
    img = _zone()
    cv2.ellipse(img, (40, 70), (20, 26), 0, 0, 360, PEARL, -1)
    assert _find(img) == []


def test_an_open_arc_is_not_a_hoop():
    """A collar's curved edge or a lock's sheen does not close round a hole."""
    img = _zone()
    cv2.ellipse(img, (40, 70), (20, 26), 0, 20, 300, PEARL, 5)
    assert _find(img) == []


def test_a_ring_cut_by_the_zone_edge_is_not_judged():
    """What runs on out of the zone may be anything larger (a collar, the shirt's edge)."""
    img = _hoop(_zone(), PEARL, centre=(12, 70))
    assert _find(img) == []


def test_a_ring_too_small_for_an_earring_is_not_one():
    """A buttonhole or a speck of sheen with a pinhole: smaller than any hoop."""
    img = _hoop(_zone(), PEARL, axes=(6, 7), thick=2)
    assert _find(img) == []
