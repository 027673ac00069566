"""Colour arithmetic and region helpers shared by the photo measures (portrait.py, necklace.py,
studs.py, hoops.py): plain numpy and OpenCV."""

from __future__ import annotations

import cv2
import numpy as np


def squared_sum(d: np.ndarray) -> np.ndarray:
    """The sum of squares over the last axis (colour channels), plane by plane: numpy's reduction over
    a short last axis is several times slower. For differences of 8-bit Lab values (or of such a value
    and a median of them) every term is a whole number or a half, so each square and each sum is exact
    in float32 and the order of summing changes no bit."""
    sq = d * d
    out = sq[..., 0].copy()
    for c in range(1, d.shape[-1]):
        out += sq[..., c]
    return out


def median_reference(u8: np.ndarray, win: int) -> np.ndarray:
    """What an 8-bit picture looks like without what is thinner than about half of ``win`` pixels: a
    median filter of that window, taken at half the size and enlarged again (a quarter of the work, and
    what it stands for is smooth anyway). Same shape and type as ``u8``."""
    h, w = u8.shape[:2]
    half = cv2.resize(u8, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)
    ref = cv2.medianBlur(half, max(3, win // 2) | 1)
    return cv2.resize(ref, (w, h), interpolation=cv2.INTER_LINEAR)


def touches_edge(box, shape: tuple[int, ...]):
    """Whether a box (x, y, w, h; or an array of them, one per row) reaches the edge of a region of
    ``shape``: what it bounds may go on outside."""
    x, y, w, h = (np.asarray(box)[..., k] for k in range(4))
    return (x <= 0) | (y <= 0) | (x + w >= shape[1]) | (y + h >= shape[0])
