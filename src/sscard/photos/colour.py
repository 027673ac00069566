"""Colour arithmetic shared by the photo measures (portrait.py, necklace.py): plain numpy."""

from __future__ import annotations

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
