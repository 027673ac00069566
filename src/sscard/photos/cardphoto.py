"""The photo sent to card production, to the national card-photo spec: 358x441 px, 24-bit colour
JPEG of 14-40 KB, face 179-255 px wide, eye line >= 207 px above the bottom, top of the hair
7-21 px below the top, eye midpoint 162-196 px from the left, background pure white.

The output is measured again after encoding; a photo that misses the spec is never returned.
"""

from __future__ import annotations

import io
import math
from typing import Any

import cv2
import numpy as np
from PIL import Image

from . import models
from .analysis import Face, close_up_faces, far_faces, hair_top, mesh_for
from .config import DEFAULT_CONFIG, PhotoConfig
from .decode import DecodeError, decode
from .portrait import check_portrait
from .report import Problem


class CardPhotoError(Exception):
    """The card photo cannot be made: the portrait failed its check, or the result missed the spec."""

    def __init__(self, reason: str, problems: list[Problem] | None = None, metrics: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []
        self.metrics = metrics or {}


def _face(rgb: np.ndarray, cfg: PhotoConfig) -> Face | None:
    faces = close_up_faces(rgb, cfg)
    if faces:
        return Face(faces[0])
    boxes = far_faces(rgb, cfg)
    lm = mesh_for(rgb, boxes[0]) if boxes else None
    return Face(lm) if lm is not None else None


def measure_card_photo(data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """The spec numbers of a finished card photo, measured from its bytes."""
    out: dict[str, Any] = {"bytes": len(data)}
    with Image.open(io.BytesIO(data)) as im:
        out.update(format=im.format, mode=im.mode, width=im.width, height=im.height)
        rgb = np.asarray(im.convert("RGB"))
    face = _face(rgb, cfg)
    if face is None:
        out["face_found"] = False
        return out
    mask = models.person_mask(rgb)
    top = hair_top(mask, face)
    out.update(
        face_found=True,
        face_width=round(face.width, 1),
        eye_from_bottom=round(rgb.shape[0] - float(face.eye_mid[1]), 1),
        eye_x=round(float(face.eye_mid[0]), 1),
        hair_top=None if top is None else round(top, 1),
        roll_deg=round(face.roll_deg, 2),
        background_white_share=round(float((rgb[mask < cfg.card_bg_mask_max] >= 250).all(axis=1).mean()), 4)
        if (mask < cfg.card_bg_mask_max).any() else 0.0,
    )
    return out


def spec_violations(meas: dict[str, Any], cfg: PhotoConfig = DEFAULT_CONFIG) -> list[str]:
    v = []
    if meas.get("format") != "JPEG":
        v.append(f"format {meas.get('format')}")
    if meas.get("mode") != "RGB":
        v.append(f"mode {meas.get('mode')}")
    if (meas.get("width"), meas.get("height")) != (cfg.card_photo_width, cfg.card_photo_height):
        v.append(f"size {meas.get('width')}x{meas.get('height')}")
    if not cfg.card_photo_min_bytes <= meas["bytes"] <= cfg.card_photo_max_bytes:
        v.append(f"bytes {meas['bytes']}")
    if not meas.get("face_found"):
        v.append("no face in the result")
        return v
    lo, hi = cfg.card_face_width_range
    if not lo <= meas["face_width"] <= hi:
        v.append(f"face width {meas['face_width']}")
    if meas["eye_from_bottom"] < cfg.card_eye_min_from_bottom:
        v.append(f"eye line {meas['eye_from_bottom']} px above the bottom")
    lo, hi = cfg.card_hair_top_range
    if meas["hair_top"] is None or not lo <= meas["hair_top"] <= hi:
        v.append(f"hair top {meas['hair_top']}")
    lo, hi = cfg.card_eye_x_range
    if not lo <= meas["eye_x"] <= hi:
        v.append(f"eye x {meas['eye_x']}")
    return v


def _encode(rgb: np.ndarray, cfg: PhotoConfig) -> bytes:
    """JPEG inside the byte window: the best quality that still fits under the maximum."""
    im = Image.fromarray(rgb, "RGB")

    def enc(q: int) -> bytes:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q, optimize=True)
        return buf.getvalue()

    lo, hi, best = 30, 98, None
    while lo <= hi:
        q = (lo + hi) // 2
        data = enc(q)
        if len(data) <= cfg.card_photo_max_bytes:
            best, lo = data, q + 1
        else:
            hi = q - 1
    if best is None:
        best = enc(20)
    if len(best) < cfg.card_photo_min_bytes:
        # A very plain picture: the highest quality is still small. Subsampling off adds colour detail.
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=98, subsampling=0)
        if len(buf.getvalue()) <= cfg.card_photo_max_bytes:
            best = buf.getvalue()
    return best


def make_card_photo(data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG, *, check: bool = True) -> bytes:
    """The production photo from an accepted portrait. Raises CardPhotoError."""
    models.setup_process()
    if check:
        report = check_portrait(data, cfg)
        if not report.ok:
            raise CardPhotoError("portrait not accepted", report.problems, report.metrics)
    try:
        # Enough pixels for a 179-255 px face from any accepted portrait, without a full decode.
        img = decode(data, cfg, min_side=1000, max_side=1400)
    except DecodeError as e:
        raise CardPhotoError("cannot decode", [Problem.of(e.code)]) from None
    rgb = img.rgb
    face = _face(rgb, cfg)
    if face is None:
        raise CardPhotoError("no face", [Problem.of("no_face")])
    mask = models.person_mask(rgb)
    top = hair_top(mask, face)
    if top is None:
        raise CardPhotoError("cannot find the top of the head", [Problem.of("head_cropped")])

    W, H = cfg.card_photo_width, cfg.card_photo_height
    eye = face.eye_mid
    # Level the eyes; the rotation is about the eye midpoint, so the hair top moves little.
    roll = face.roll_deg
    fw = face.width
    head = max(float(eye[1]) - top, 1.0)  # hair top to eye line, source pixels
    hair_lo, hair_hi = cfg.card_hair_top_range
    hair_target = (hair_lo + hair_hi) / 2
    eye_max_y = H - cfg.card_eye_min_from_bottom - 4  # 4 px safety
    fw_lo, fw_hi = cfg.card_face_width_range
    s = (fw_lo + fw_hi) / 2 / fw
    if hair_target + head * s > eye_max_y:  # tall hair: shrink, but keep the face in range
        s = (eye_max_y - hair_target) / head
    s = min(max(s, (fw_lo + 6) / fw), (fw_hi - 6) / fw)
    eye_y = hair_target + head * s
    if eye_y > eye_max_y:  # still too low: use the top of the hair window
        eye_y = hair_lo + 3 + head * s
    eye_x = (cfg.card_eye_x_range[0] + cfg.card_eye_x_range[1]) / 2

    # Shrink first with area averaging (no aliasing), then a small exact warp.
    pre = min(1.0, s * 1.5)
    if pre < 1.0:
        rgb = cv2.resize(rgb, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_LINEAR)
    s2 = s / pre
    cx, cy = float(eye[0]) * pre, float(eye[1]) * pre
    a = math.radians(roll)
    M = cv2.getRotationMatrix2D((cx, cy), math.degrees(a), s2)
    M[0, 2] += eye_x - cx
    M[1, 2] += eye_y - cy
    out = cv2.warpAffine(rgb, M, (W, H), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(255, 255, 255)).astype(np.float32)
    pm = cv2.warpAffine(mask, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)
    # Pure white where the mask is sure it is background; a soft edge where it is unsure.
    lo_m = cfg.card_bg_mask_max
    alpha = np.clip((pm - lo_m) / (0.6 - lo_m), 0, 1)[..., None]
    out = out * alpha + 255.0 * (1 - alpha)
    result = np.clip(out + 0.5, 0, 255).astype(np.uint8)
    result[pm < lo_m] = 255
    encoded = _encode(result, cfg)

    meas = measure_card_photo(encoded, cfg)
    bad = spec_violations(meas, cfg)
    if bad:
        raise CardPhotoError("result misses the card-photo spec: " + "; ".join(bad), [], meas)
    return encoded
