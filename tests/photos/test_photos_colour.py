"""Colour helpers of the photo measures: the median reference, and the table forms of the skin and
wall colour tests (which must give the per-pixel formulas' answers exactly)."""

from __future__ import annotations

import numpy as np

from sscard.photos.colour import median_reference, squared_sum
from sscard.photos.config import DEFAULT_CONFIG
from sscard.photos.portrait import _skin_like, _SkinTerms, _WallTerms


def _lab_pixels(seed: int, n: int = 20000) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (n // 100, 100, 3), dtype=np.uint8)


def test_skin_table_answers_as_the_formula():
    px8 = _lab_pixels(1)
    # a median of 8-bit values is a whole number or a half; near-threshold pixels are the ones at stake
    for skin in (np.array([170.5, 140.0, 150.5], np.float32), np.array([96.0, 138.5, 141.0], np.float32)):
        near = (skin + np.random.default_rng(2).integers(-20, 21, (5000, 3))).clip(0, 255).astype(np.uint8)
        for sample in (px8, near.reshape(50, 100, 3)):
            expected = _skin_like(sample.astype(np.float32), skin, DEFAULT_CONFIG)
            assert np.array_equal(_SkinTerms(skin, DEFAULT_CONFIG).like(sample), expected)
        assert expected.any() and not expected.all()  # (the near sample has pixels on both sides)


def test_wall_table_answers_as_the_formula():
    wall = np.array([247.5, 128.0, 130.5], np.float32)
    near = (wall + np.random.default_rng(3).integers(-18, 19, (5000, 3))).clip(0, 255).astype(np.uint8)
    for sample in (_lab_pixels(4), near.reshape(50, 100, 3)):
        expected = squared_sum(sample.astype(np.float32) - wall) < DEFAULT_CONFIG.bg_deviation_de ** 2
        assert np.array_equal(_WallTerms(wall, DEFAULT_CONFIG).like(sample), expected)
    assert expected.any() and not expected.all()


def test_median_reference_drops_a_thin_line_and_keeps_a_step():
    img = np.full((80, 120, 3), (170, 140, 150), np.uint8)  # skin-like Lab
    img[:, 60:] = (250, 128, 128)  # the wall beside it: a step
    img[38:40, 10:50] = (240, 128, 128)  # a thin silver line on the skin
    ref = median_reference(img, 15)
    assert ref.shape == img.shape and ref.dtype == np.uint8
    # the line is gone from the reference, so it stands out against it
    assert np.abs(ref[38:40, 15:45].astype(int) - (170, 140, 150)).max() <= 2
    # away from the step, both sides are kept as they are
    assert np.abs(ref[:, :52].astype(int) - (170, 140, 150)).max() <= 2
    assert np.abs(ref[:, 66:].astype(int) - (250, 128, 128)).max() <= 2
