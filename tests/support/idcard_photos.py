"""Phone photos of ID cards with real Chinese text on them, for the tests that read the card (OCR).

The card is drawn by the demo's card drawing (``sscard.demo.idcard_drawing``: the real card's layout),
then laid on a dark desk, slightly turned, as a phone would photograph it. The text needs a CJK font:
``FONT_MISSING`` says why the tests skip when there is none.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from sscard.demo.idcard_drawing import CARD_H, CARD_W, CJK_FONTS, draw_back, draw_front

HAVE_CJK_FONT = any(Path(p).is_file() for p in CJK_FONTS)
FONT_MISSING = "no CJK font (Debian: apt-get install fonts-wqy-microhei): the drawn card would carry no Chinese text"


@cache
def card_face() -> np.ndarray:
    """The demo portrait, for the card's photo (the check finds the portrait side by its face)."""
    from sscard.demo.photos import portrait_rgb

    return portrait_rgb()


def photographed(
    card: np.ndarray, *, upside_down: bool = False, seed: int = 0, size: tuple[int, int] = (2000, 1500)
) -> bytes:
    """The card on a dark desk, turned 3 degrees, ``size`` pixels (12 MP: 4000x3000), sensor noise, JPEG q90."""
    rng = np.random.default_rng(seed)
    if upside_down:
        card = card[::-1, ::-1]
    W, H = size
    scene = np.full((H, W, 3), 58.0, np.float32) + rng.normal(0, 3, (H, W, 1)).astype(np.float32)
    hw = W * 0.62 / 2
    hh = hw / (CARD_W / CARD_H)
    a = np.deg2rad(3.0)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]], np.float32)
    quad = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32) @ rot + [W / 2, H / 2]
    src = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    M = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(np.ascontiguousarray(card).astype(np.float32), M, (W, H), flags=cv2.INTER_CUBIC)
    inside = cv2.warpPerspective(np.ones((CARD_H, CARD_W), np.float32), M, (W, H))[..., None]
    img = scene * (1 - inside) + warped * inside + rng.normal(0, 2, (H, W, 3)).astype(np.float32)
    out = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue()


def front_photo(name: str, id_number: str, **kw) -> bytes:
    return photographed(draw_front(name, id_number, "广东省中山市石岐区民生路1号", card_face()), **kw)


def back_photo(valid: str, **kw) -> bytes:
    return photographed(draw_back(valid=valid), **kw)


def unreadable(card: np.ndarray, tile: int = 10, seed: int = 0) -> np.ndarray:
    """The card with its printed words scrambled (small tiles of the text areas shuffled: worn, scratched
    print): every stroke stays sharp, so the card check sees a sharp card, but no word can be read."""
    rng = np.random.default_rng(seed)
    out = card.copy()
    for y0, y1, x0, x1 in ((30, 330, 40, 570), (360, 500, 40, 820)):
        rows, cols = (y1 - y0) // tile, (x1 - x0) // tile
        tiles = [out[y0 + r * tile : y0 + (r + 1) * tile, x0 + c * tile : x0 + (c + 1) * tile].copy()
                 for r in range(rows) for c in range(cols)]
        for k, j in enumerate(rng.permutation(len(tiles))):
            r, c = divmod(k, cols)
            out[y0 + r * tile : y0 + (r + 1) * tile, x0 + c * tile : x0 + (c + 1) * tile] = tiles[j]
    return out
