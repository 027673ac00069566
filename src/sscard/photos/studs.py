"""A stud: a small round piece of metal or pearl, one uniform colour, standing apart from all round it
(issue #12, round nine).

Plain numpy and OpenCV on one region of the picture (no face model, no Django), so it is tested on
drawn pictures alone. The portrait check calls ``find_studs`` on the ear-lobe zones in OpenCV Lab.

The piece-by-piece measure in ``portrait.py`` compares each pixel with a median of its surroundings,
which must be skin, hair or wall: a stud worn where the jaw meets the wall, half on each, has mixed
surroundings and went unseen (train seeds 10-15: 8 of the 15 jewellery misses were earrings, most of
them studs at the head's edge). This looks for the stud's own shape instead, at a few sizes:

1. *Uniform*: the disc of radius r round a point has one colour (its lightness varies little; a
   highlight is small). A straight edge through the disc (jaw and wall) is two colours.
2. *Apart*: most of the ring round the disc (1.5 r to 2.2 r) differs from the disc's colour, whatever
   it is (wall, skin, hair, cloth, or each in part). A corner of something larger (a collar, the
   ear lobe itself) shares its colour with part of the ring.
3. *Metal*: neutral (silver, pearl, white gold) or yellow (gold), light enough, and not skin-coloured.

4. *Not the wall*: a disc of (nearly) the wall's colour is wall showing between hair, ear and collar;
   so a pearl as pale as the wall is left to the piece measure.
5. *Bounded*: the piece of the disc's colour round its centre ends inside the ring.

Returned: the studs found, as (x, y, radius) in the region's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .colour import squared_sum


@dataclass(frozen=True)
class StudParams:
    # Round nine, calibrated on train seeds 10-12 (24 earring cases, 576 pictures without jewellery
    # made from persons without any) and checked on 13-15: the studs found where the piece measure
    # missed them had a disc 45-53 from the wall, L 197-207, apart 0.99-1.0, uniform 0.81-0.89,
    # contrast 29-57 and spread 13.6-16.8; the three pictures without jewellery that had a stud were
    # wall-coloured (10-13 from the wall) or dark (L 123). A pale pearl drop on train seed 14 is 23.6
    # from the wall: wall_min_de 20 keeps it.
    radii: tuple[float, ...] = (0.016, 0.021, 0.027)  # face widths (studs drawn: 0.014-0.03)
    min_radius_px: float = 2.0
    max_l_std: float = 18.0  # lightness spread inside the disc (a highlight is small)
    min_contrast: float = 25.0  # Lab distance, disc mean against ring mean
    min_lightness: float = 150.0  # OpenCV L (the piece measure's jewel_hang_min_l)
    neutral_max_chroma: float = 15.0
    gold_min_b: float = 25.0
    skin_like_de: float = 20.0  # Lab distance under which a colour is skin's ...
    # ... lightness counted in full: a pearl's or silver's white on pale skin is of skin's hue, and
    # told from it by being lighter (the ear lobe, in shade or not, is not metal-coloured anyway)
    skin_l_weight: float = 1.0
    wall_min_de: float = 20.0  # a disc of the wall's colour is wall showing between hair, ear and collar
    same_de: float = 14.0  # a pixel this close to the disc's colour has it
    min_inside_share: float = 0.8  # of the disc's pixels with its colour
    min_apart_share: float = 0.9  # of the ring's pixels without it
    bounded_de: float = 20.0  # the piece of this colour round the centre ends inside the ring
    max_candidates: int = 6
    min_coloured_share: float = 0.4  # of the square round a centre with a stud's colour (speed)


def _disc_and_ring(r: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The disc of radius r and the ring round it (1.5 r to 2.2 r), as masks over a square window of
    half-side ``outer`` round its centre."""
    outer = int(np.ceil(2.2 * r))
    yy, xx = np.mgrid[-outer:outer + 1, -outer:outer + 1]
    d = np.hypot(xx, yy)
    return d <= r, (d >= 1.5 * r) & (d <= 2.2 * r), outer


def _mean_kernel(mask: np.ndarray) -> np.ndarray:
    k = mask.astype(np.float32)
    return k / k.sum()


def find_studs(lab: np.ndarray, fw: float, skin: np.ndarray | None, wall: np.ndarray | None = None,
               p: StudParams = StudParams()) -> list[tuple]:
    """``lab``: the region (OpenCV 8-bit Lab), ``fw`` the face width in its pixels, ``skin`` the cheek's
    median Lab and ``wall`` the wall's (None: no such test). The studs found, largest first."""
    if lab.ndim != 3 or min(lab.shape[:2]) < 8:
        return []
    px = lab.astype(np.float32)
    # Where a stud can be centred: most of the square round it has a stud's colour (light metal, neither
    # skin nor wall; a disc fills 0.79 of its square, a stud's own pixels nearly all of it). Most
    # regions have no such place, and the filters below are then not run at all.
    coloured = _stud_coloured(px, skin, wall, p).astype(np.float32)
    if not coloured.any():
        return []
    h, w = px.shape[:2]
    found: list[tuple[float, float, float]] = []
    for frac in sorted(p.radii, reverse=True):
        r = max(p.min_radius_px, frac * fw)
        in_disc, in_ring, outer = _disc_and_ring(r)
        disc_k, ring_k = _mean_kernel(in_disc), _mean_kernel(in_ring)
        if h < 2 * outer + 1 or w < 2 * outer + 1:
            continue
        m = int(np.ceil(r))
        share = cv2.boxFilter(coloured, -1, (2 * m + 1, 2 * m + 1), borderType=cv2.BORDER_REPLICATE)
        if not (share[m:-m, m:-m] >= p.min_coloured_share).any():
            continue
        disc = cv2.filter2D(px, -1, disc_k, borderType=cv2.BORDER_REPLICATE)
        ring = cv2.filter2D(px, -1, ring_k, borderType=cv2.BORDER_REPLICATE)
        l2 = cv2.filter2D(px[..., 0] * px[..., 0], -1, disc_k, borderType=cv2.BORDER_REPLICATE)
        std = np.sqrt(np.maximum(l2 - disc[..., 0] ** 2, 0))
        d = disc - ring
        contrast = np.sqrt(squared_sum(d))
        ok = (std <= p.max_l_std) & (contrast >= p.min_contrast) & _stud_coloured(disc, skin, wall, p)
        # the disc whole inside the region (a stud cut by its edge may go on outside)
        ok[:m], ok[-m:], ok[:, :m], ok[:, -m:] = False, False, False, False
        if not ok.any():
            continue
        # the disc's centre is where it is most uniform and stands out most (the highest contrast
        # alone lies off centre, where the disc takes in the stud and the ring the darkest beside it)
        score = np.where(ok, contrast / (std + 4.0), 0).astype(np.float32)
        peak = cv2.dilate(score, np.ones((2 * m + 1, 2 * m + 1), np.uint8))
        ys, xs = np.nonzero(ok & (score >= peak))
        order = np.argsort(-score[ys, xs])[: p.max_candidates]
        for y, x in zip(ys[order], xs[order], strict=True):
            if any(np.hypot(x - fx, y - fy) < fr + r for fx, fy, fr in found):
                continue
            y0, x0 = y - outer, x - outer
            win = px[max(0, y0):y + outer + 1, max(0, x0):x + outer + 1]
            sel = (slice(max(0, -y0), max(0, -y0) + win.shape[0]), slice(max(0, -x0), max(0, -x0) + win.shape[1]))
            de = np.sqrt(squared_sum(win - disc[y, x]))
            inside = de[in_disc[sel]]
            around = de[in_ring[sel]]
            if inside.size == 0 or around.size == 0:
                continue
            if (float((inside <= p.same_de).mean()) >= p.min_inside_share
                    and float((around > p.same_de).mean()) >= p.min_apart_share
                    and _bounded(de <= p.bounded_de, (y - max(0, y0), x - max(0, x0)), r)):
                found.append((float(x), float(y), float(r)))
    return found


def _stud_coloured(px: np.ndarray, skin: np.ndarray | None, wall: np.ndarray | None, p: StudParams) -> np.ndarray:
    """Which Lab colours (float32, OpenCV scale) a stud can have: light metal (neutral or yellow), not
    skin's colour, not the wall's."""
    L, a, b = px[..., 0], px[..., 1] - 128, px[..., 2] - 128
    metal = (a * a + b * b < p.neutral_max_chroma ** 2) | ((b >= p.gold_min_b) & (b > a))
    ok = metal & (L >= p.min_lightness)
    if skin is not None:
        ds = px - np.asarray(skin, np.float32)
        ok &= (ds[..., 1] ** 2 + ds[..., 2] ** 2 + (ds[..., 0] * p.skin_l_weight) ** 2) >= p.skin_like_de ** 2
    if wall is not None:
        dw = px - np.asarray(wall, np.float32)
        ok &= squared_sum(dw) >= p.wall_min_de ** 2
    return ok


def _bounded(same: np.ndarray, centre: tuple[int, int], r: float) -> bool:
    """Whether the piece of ``same`` (pixels of the disc's colour, in the window round a candidate)
    that holds the centre ends inside the window: a stud does; a strip of grey background between a
    jaw and a hand, whose colour drifts slowly along it, runs on out of it. What is thinner than a
    third of the stud's radius is opened away first: a drop's wire runs on out of it too."""
    k = max(1, int(round(r / 3)))
    same = cv2.morphologyEx(same.astype(np.uint8), cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(same, connectivity=4)
    piece = labels[centre]
    if piece == 0:
        return False
    x, y, w, h = (int(v) for v in stats[piece, :4])
    return x > 0 and y > 0 and x + w < same.shape[1] and y + h < same.shape[0]
