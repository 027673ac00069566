"""Measurements shared by the portrait check and the card-photo maker: one face, its landmarks
in image pixels and the person mask."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from . import models
from .config import DEFAULT_CONFIG, PhotoConfig

# mediapipe face-mesh indices (subject's right = image left).
R_IRIS, L_IRIS = 468, 473
FOREHEAD_TOP, CHIN, NOSE_TIP = 10, 152, 1
CHEEK_R, CHEEK_L = 234, 454  # face outline at cheek-bone level: the "face width"
R_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
L_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
R_BROW = [70, 63, 105, 66, 107, 46, 53, 52, 65, 55]
L_BROW = [300, 293, 334, 296, 336, 276, 283, 282, 295, 285]
SKIN_POINTS = [50, 280, 205, 425, 101, 330]  # cheeks, below the eyes and beside the nose
FOREHEAD_POINTS = [151, 108, 337]


@dataclass
class Face:
    lm: np.ndarray  # 478x3, pixels of the analysis image

    @property
    def width(self) -> float:
        return float(np.linalg.norm(self.lm[CHEEK_L, :2] - self.lm[CHEEK_R, :2]))

    @property
    def eye_mid(self) -> np.ndarray:
        return (self.lm[R_IRIS, :2] + self.lm[L_IRIS, :2]) / 2

    @property
    def roll_deg(self) -> float:
        d = self.lm[L_IRIS, :2] - self.lm[R_IRIS, :2]
        return math.degrees(math.atan2(float(d[1]), float(d[0])))

    @property
    def height(self) -> float:
        return float(np.linalg.norm(self.lm[CHIN, :2] - self.lm[FOREHEAD_TOP, :2]))

    def yaw_ratio(self) -> float:
        """Nose-tip offset from the middle of the cheek outline, in half face widths (roll removed)."""
        a = -math.radians(self.roll_deg)
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
        xs = self.lm[[CHEEK_R, NOSE_TIP, CHEEK_L], :2] @ rot.T
        left, nose, right = (float(v) for v in xs[:, 0])
        half = (right - left) / 2
        return 0.0 if half <= 1e-3 else (nose - (left + right) / 2) / half


def shrink(rgb: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """A copy whose long side is ``side`` (never enlarged), and its scale.

    OpenCV's area filter is fast only for a whole-number factor (0.3 ms for 1000x750 -> 500x375
    against 6 ms for x0.48, one thread), so: an exact area reduction by the whole factor, then a
    bilinear step of less than 2x, which does not alias."""
    h, w = rgb.shape[:2]
    if max(h, w) <= side:
        return rgb, 1.0
    k = int(max(h, w) // side)
    if k >= 2:
        rgb = cv2.resize(rgb[: h - h % k, : w - w % k], (w // k, h // k), interpolation=cv2.INTER_AREA)
    hh, ww = rgb.shape[:2]
    if max(hh, ww) > side:
        f = side / max(hh, ww)
        rgb = cv2.resize(rgb, (max(1, round(ww * f)), max(1, round(hh * f))), interpolation=cv2.INTER_LINEAR)
    return rgb, rgb.shape[1] / w


def close_up_faces(rgb: np.ndarray, cfg: PhotoConfig = DEFAULT_CONFIG) -> list[np.ndarray]:
    """Landmarks of the faces the mesh's own short-range detector trusts (its calibrated score: at
    mediapipe's 0.5 it takes a dog for a face), largest first: found, counted and fitted in one pass.
    A portrait is a close-up, so this is the first look; ``far_faces`` is the second."""
    return models.face_landmarks(rgb, cfg.near_face_min_score)


def far_faces(rgb: np.ndarray, cfg: PhotoConfig = DEFAULT_CONFIG) -> list[models.FaceBox]:
    """Faces the full-range detector (faces up to ~5 m) trusts, largest first: the small face of a
    loosely framed picture, which the close-up look misses. Fit one with ``mesh_for``."""
    return [b for b in models.detect_faces(rgb) if b.score >= cfg.face_min_score]


def mesh_for(rgb: np.ndarray, box: models.FaceBox) -> np.ndarray | None:
    """Landmarks for the face in box: run the mesh on a crop around it (faster, and the mesh's own
    short-range detector then sees a large face even in a loosely framed picture)."""
    h, w = rgb.shape[:2]
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    side = max(box.w, box.h) * 2.2
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(w, cx + side / 2)), int(min(h, cy + side / 2))
    if x1 - x0 >= 32 and y1 - y0 >= 32:
        crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
        k = 1.0
        if max(crop.shape[:2]) > 512:
            crop, k = shrink(crop, 512)
        faces = models.face_landmarks(crop)
        if faces:
            lm = faces[0].copy()
            lm[:, :3] /= k
            lm[:, 0] += x0
            lm[:, 1] += y0
            return lm
    faces = models.face_landmarks(rgb)
    return faces[0] if faces else None


def points_box(pts: np.ndarray, pad: float, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    h, w = shape
    x0, y0 = pts[:, 0].min(), pts[:, 1].min()
    x1, y1 = pts[:, 0].max(), pts[:, 1].max()
    px, py = (x1 - x0) * pad, (y1 - y0) * pad
    return (
        int(max(0, x0 - px)),
        int(max(0, y0 - py)),
        int(min(w, math.ceil(x1 + px))),
        int(min(h, math.ceil(y1 + py))),
    )


def hair_top(mask: np.ndarray, face: Face, threshold: float = 0.5) -> float | None:
    """Row of the top of the head (hair included) from the person mask, over the face's columns."""
    h, w = mask.shape
    cx, half = face.eye_mid[0], face.width * 0.35
    x0, x1 = int(max(0, cx - half)), int(min(w, cx + half))
    if x1 <= x0:
        return None
    cols = mask[:, x0:x1] > threshold
    any_rows = cols.any(axis=1)
    ys = np.flatnonzero(any_rows)
    if ys.size == 0:
        return None
    # The first row where a fifth of those columns are person: ignores single flyaway hairs.
    share = cols.mean(axis=1)
    rows = np.flatnonzero(share >= 0.2)
    return float(rows[0]) if rows.size else float(ys[0])
