"""A hoop earring: a thin ring of silver or pearl hanging below an ear lobe (issue #12, round ten).

Plain numpy and OpenCV on one region of the picture (no face model, no Django), so it is tested on
drawn pictures alone. The portrait check calls ``find_hoops`` on the ear-lobe zones in OpenCV Lab,
with the median of each pixel's surroundings it has already worked out.

The piece measure in ``portrait.py`` counts a neutral piece at an ear lobe when it is a round, filled
stud or far lighter than what it lies on and not of the wall's colour. A pearl hoop is as white as
the wall (it is left out as wall showing between locks of hair), and a silver hoop on a dark sweater
is not lighter enough; neither is filled. What no lock of hair, collar or wall pocket has is the
hoop's own shape:

1. *Metal*: neutral (silver, pearl, white gold), light, not skin-coloured, and differing from its
   surroundings' median (a thin ring is not in the median of a window wider than it).
2. *A ring*: one piece that closes round a hole; with the hole filled it is a round or oval disc
   (fills its box as an ellipse does), and the hole is a good part of it (a filled stud has none, a
   closed blob of sheen has a pinhole at most) and shows something else than the ring's colour (the
   rim of a white patch wider than the median's window differs from the median; its inside does not).
3. *Earring-sized*: its longer side between ``min_size`` and ``max_size`` face widths, not cut by the
   zone's edge.

Gold hoops are found by their yellow already. Returned: the hoops found, as (x, y, w, h, area) in the
region's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .colour import squared_sum, touches_edge


@dataclass(frozen=True)
class HoopParams:
    neutral_max_chroma: float = 15.0
    min_l: float = 150.0  # OpenCV L (the piece measure's jewel_hang_min_l)
    min_de: float = 15.0  # Lab distance from the median of the surroundings
    min_size: float = 0.05  # face widths, the ring's longer side (hoops drawn: 0.08-0.14)
    max_size: float = 0.18
    min_aspect: float = 0.4  # shorter side over longer
    min_hole_share: float = 0.25  # of the filled ring
    min_fill: float = 0.6  # the filled ring's share of its box (an ellipse: 0.785)


def find_hoops(px8: np.ndarray, ref8: np.ndarray, skin: np.ndarray, fw: float,
               p: HoopParams = HoopParams()) -> list[tuple[int, int, int, int, int]]:
    """``px8``: a zone in OpenCV 8-bit Lab, ``ref8`` the median of its surroundings (same shape),
    ``skin``: which of its pixels are skin-coloured, ``fw``: the face width in its pixels."""
    if px8.ndim != 3 or min(px8.shape[:2]) < 5:
        return []
    px = px8.astype(np.float32)
    chroma = np.hypot(px[..., 1] - 128, px[..., 2] - 128)
    differs = squared_sum(px - ref8.astype(np.float32)) > p.min_de ** 2
    metal = (chroma < p.neutral_max_chroma) & (px[..., 0] > p.min_l) & differs & ~skin
    n, labels, stats, _ = cv2.connectedComponentsWithStats(metal.astype(np.uint8), connectivity=8)
    found = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        side = max(w, h)
        if (touches_edge((x, y, w, h), metal.shape)
                or not p.min_size * fw <= side <= p.max_size * fw or min(w, h) < p.min_aspect * side):
            continue
        ring = (labels[y:y + h, x:x + w] == i).astype(np.uint8)
        # the ring with its hole filled: all but what the outside reaches round it
        outside = np.pad(1 - ring, 1, constant_values=1)
        cv2.floodFill(outside, None, (0, 0), 2)
        hole = outside[1:-1, 1:-1] == 1  # (not the ring, and not reached from outside it)
        filled = area + int(hole.sum())
        if filled - area < p.min_hole_share * filled or filled < p.min_fill * w * h:
            continue
        # what the hole shows is what the hoop hangs in front of, not more of the same (the rim of a
        # white patch wider than the median's window differs from the median, its inside does not)
        box = px[y:y + h, x:x + w]
        if squared_sum(box[hole].mean(axis=0) - box[ring > 0].mean(axis=0)) >= p.min_de ** 2:
            found.append((x, y, w, h, area))
    return found
