"""The portrait check: is this upload good enough to become a card photo, and if not, why."""

from __future__ import annotations

import cv2
import numpy as np

from . import models
from .analysis import (
    CHIN,
    FOREHEAD_TOP,
    L_BROW,
    L_EYE,
    R_BROW,
    R_EYE,
    SKIN_POINTS,
    Face,
    find_faces,
    hair_top,
    mesh_for,
    points_box,
)
from .config import DEFAULT_CONFIG, PhotoConfig
from .decode import DecodeError, decode
from .report import Report, Stopwatch


def check_portrait(data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG) -> Report:
    report = Report("portrait")
    watch = Stopwatch(report.timings)
    try:
        _check(data, cfg, report, watch)
    finally:
        watch.total()
    return report


def _check(data: bytes, cfg: PhotoConfig, report: Report, watch: Stopwatch) -> None:
    m = report.metrics
    m["file_bytes"] = len(data)
    try:
        img = decode(data, cfg)
    except DecodeError as e:
        report.add(e.code)
        return
    watch.lap("decode")
    rgb = img.rgb
    H, W = rgb.shape[:2]
    m.update(width=img.width, height=img.height, format=img.format, analysis_scale=round(img.scale, 4))
    if img.width < cfg.min_width or img.height < cfg.min_height:
        report.add("too_few_pixels")
    if len(data) < cfg.min_file_bytes:
        report.add("file_too_small")

    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    chroma_img = _chroma(lab)
    m["mean_chroma"] = _r(float(chroma_img.mean()))
    if m["mean_chroma"] < cfg.min_mean_chroma:
        report.add("grayscale")

    boxes = find_faces(rgb, cfg.face_min_score)
    watch.lap("detect")
    m["faces"] = len(boxes)
    if not boxes:
        report.add("no_face")
        return
    main = boxes[0]
    others = [b for b in boxes[1:] if b.w >= cfg.second_face_min_ratio * main.w]
    m["face_score"] = _r(main.score)
    if others:
        m["faces"] = 1 + len(others)
        report.add("multiple_faces")
        return
    lm = mesh_for(rgb, main)
    watch.lap("mesh")
    if lm is None:
        # The detector sees a face the mesh cannot fit: almost always a face turned far aside.
        kp = main.keypoints
        eye_mid = (kp[0] + kp[1]) / 2
        eye_dist = max(float(np.linalg.norm(kp[1] - kp[0])), 1.0)
        m["yaw_ratio"] = _r(float((kp[2][0] - eye_mid[0]) / eye_dist))
        report.add("head_tilted")
        return
    face = Face(lm, main)
    mask = models.person_mask(rgb)
    watch.lap("segment")

    _framing(face, mask, img, cfg, report)
    bg_lab, border_sides = _border_and_background(rgb, lab, mask, face, cfg, report)
    skin_l = _exposure(lab, rgb, face, bg_lab, cfg, report)
    _clothes(lab, face, bg_lab, cfg, report)
    _brows_and_eyes(lab, face, skin_l, cfg, report)
    _sharpness_and_texture(rgb, face, cfg, report)
    m["border_sides"] = border_sides
    watch.lap("measure")


# ---------------------------------------------------------------------------------------------
def _framing(face: Face, mask: np.ndarray, img, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    H, W = mask.shape
    fw = face.width
    m["face_width_ratio"] = _r(fw / W)
    m["face_width_px"] = round(fw / img.scale)
    if fw / W < cfg.face_min_width_ratio or fw / img.scale < cfg.face_min_width_px:
        report.add("face_too_small")

    # Top of the head: the person mask reaching the first rows above the face.
    cx, half = face.eye_mid[0], fw * 0.4
    x0, x1 = int(max(0, cx - half)), int(min(W, cx + half))
    top_share = float((mask[:2, x0:x1] > 0.5).any(axis=0).mean()) if x1 > x0 else 0.0
    m["head_top_cut_share"] = _r(top_share)
    chin_y = float(face.lm[CHIN, 1])
    m["chin_margin"] = _r((H - chin_y) / H)
    forehead_y = float(face.lm[FOREHEAD_TOP, 1])
    cut = top_share >= cfg.head_top_cut_share or forehead_y < 0.01 * H
    cut = cut or chin_y > H * (1 - cfg.chin_margin_ratio)
    top = hair_top(mask, face)
    m["hair_top_ratio"] = _r(top / H) if top is not None else None
    if cut:
        report.add("head_cropped")

    m["center_offset"] = _r(float(face.eye_mid[0] / W - 0.5))
    if abs(m["center_offset"]) > cfg.max_center_offset:
        report.add("face_off_center")

    m["roll_deg"] = _r(face.roll_deg)
    m["yaw_ratio"] = _r(face.yaw_ratio())
    if abs(m["roll_deg"]) > cfg.max_roll_deg or abs(m["yaw_ratio"]) > cfg.max_yaw_ratio:
        report.add("head_tilted")


def _find_border(rgb: np.ndarray, cfg: PhotoConfig) -> dict[str, int]:
    """Thickness of a flat edge strip that ends in a step, per side ({} when none)."""
    small = rgb
    k = 1.0
    if max(rgb.shape[:2]) > 512:
        k = 512 / max(rgb.shape[:2])
        small = cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    a = small.astype(np.int16)
    sides = {
        "top": a,
        "bottom": a[::-1],
        "left": a.transpose(1, 0, 2),
        "right": a.transpose(1, 0, 2)[::-1],
    }
    found = {}
    for name, arr in sides.items():
        n = arr.shape[0]
        maxk = int(n * cfg.border_max_ratio)
        first = arr[0].mean(axis=0)
        t = 0
        while t < maxk:
            line = arr[t]
            if line.std(axis=0).max() > cfg.border_flat_std or np.abs(line.mean(axis=0) - first).max() > 10:
                break
            t += 1
        if t < max(2, int(n * cfg.border_min_ratio)) or t >= maxk or t + 1 >= n:
            continue
        # the step: compare the strip to the content two lines further in (anti-aliased edges)
        inner = arr[min(n - 1, t + 1)]
        step = np.abs(inner - arr[t - 1]).max(axis=1)
        if float((step > cfg.border_step).mean()) >= cfg.border_step_share:
            found[name] = round(t / k)
    return found


def _border_and_background(rgb, lab, mask, face: Face, cfg: PhotoConfig, report: Report):
    m = report.metrics
    H, W = mask.shape
    border = _find_border(rgb, cfg)
    if "bottom" in border and len(border) >= 2 or len(border) >= cfg.border_min_sides:
        report.add("border")

    # Background pixels: confidently not person, away from the person's outline, inside any border.
    person = (mask > 0.5).astype(np.uint8)
    step = max(1, int(max(H, W) // 400))
    person_s = person[::step, ::step]
    dist = cv2.distanceTransform(1 - person_s, cv2.DIST_L2, 3) * step
    bg = (mask[::step, ::step] < cfg.bg_mask_max) & (dist > cfg.bg_margin_ratio * face.width)
    for side, t in border.items():
        ts = int(np.ceil((t + 2) / step))
        if side == "top":
            bg[:ts] = False
        elif side == "bottom":
            bg[-ts:] = False
        elif side == "left":
            bg[:, :ts] = False
        else:
            bg[:, -ts:] = False
    lab_s = lab[::step, ::step].astype(np.float32)
    px = lab_s[bg]
    m["background_share"] = _r(float(bg.mean()))
    if px.shape[0] < 200:
        m["background_lightness"] = None
        return None, sorted(border)
    med = np.median(px, axis=0)
    chroma = float(np.hypot(med[1] - 128, med[2] - 128))
    dev = np.sqrt(((px - med) ** 2).sum(axis=1))
    share = float((dev > cfg.bg_deviation_de).mean())
    m["background_lightness"] = _r(float(med[0]))
    m["background_chroma"] = _r(chroma)
    m["background_deviating_share"] = _r(share)
    if med[0] < cfg.bg_min_lightness or chroma > cfg.bg_max_chroma:
        report.add("background_not_white")
    if share > cfg.bg_max_deviating_share:
        report.add("background_not_uniform")
    return med, sorted(border)


def _patches(shape, pts: np.ndarray, size: float) -> list[tuple[int, int, int, int]]:
    h, w = shape
    r = max(2, int(size / 2))
    out = []
    for x, y in pts[:, :2]:
        x, y = int(x), int(y)
        x0, y0, x1, y1 = max(0, x - r), max(0, y - r), min(w, x + r), min(h, y + r)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            out.append((x0, y0, x1, y1))
    return out


def _exposure(lab, rgb, face: Face, bg_lab, cfg: PhotoConfig, report: Report) -> float:
    m = report.metrics
    boxes = _patches(lab.shape[:2], face.lm[SKIN_POINTS], face.width * 0.12)
    ls = np.concatenate([lab[y0:y1, x0:x1, 0].ravel() for x0, y0, x1, y1 in boxes]) if boxes else np.array([0])
    clipped = np.concatenate(
        [(rgb[y0:y1, x0:x1] >= 250).any(axis=2).ravel() for x0, y0, x1, y1 in boxes]
    ) if boxes else np.array([False])
    skin_l = float(np.median(ls))
    m["face_lightness"] = _r(skin_l)
    m["face_clipped_share"] = _r(float(clipped.mean()))
    gap = float(bg_lab[0]) - skin_l if bg_lab is not None else 0.0
    m["backlight_gap"] = _r(gap)
    if skin_l < cfg.face_min_lightness or (gap > cfg.backlight_min_gap and skin_l < cfg.backlight_face_max):
        report.add("too_dark")
    if skin_l > cfg.face_max_lightness or m["face_clipped_share"] > cfg.face_max_clipped_share:
        report.add("too_bright")
    return skin_l


def _clothes(lab, face: Face, bg_lab, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    H, W = lab.shape[:2]
    chin_y = float(face.lm[CHIN, 1])
    y0 = int(chin_y + 0.45 * face.height)
    x0, x1 = int(max(0, face.eye_mid[0] - 0.8 * face.width)), int(min(W, face.eye_mid[0] + 0.8 * face.width))
    if y0 >= H - 3 or x1 <= x0 or bg_lab is None:
        m["clothes_bg_share"] = None
        return
    region = lab[y0:H:2, x0:x1:2].reshape(-1, 3).astype(np.float32)
    dev = np.sqrt(((region - bg_lab) ** 2).sum(axis=1))
    share = float((dev < cfg.clothes_bg_de).mean())
    m["clothes_bg_share"] = _r(share)
    if share > cfg.clothes_max_bg_share:
        report.add("clothes_blend_with_background")


def _brows_and_eyes(lab, face: Face, skin_l: float, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    shape = lab.shape[:2]
    L = lab[..., 0]
    dark_shares, eye_rel = [], []
    for brow_idx, eye_idx in ((R_BROW, R_EYE), (L_BROW, L_EYE)):
        brow = face.lm[brow_idx, :2]
        eye = face.lm[eye_idx, :2]
        gap = max(float(eye[:, 1].mean() - brow[:, 1].mean()), 2.0)
        bx0, _, bx1, _ = points_box(brow, 0.0, shape)
        top = float(brow[:, 1].min())
        y0, y1 = int(max(0, top - 0.9 * gap)), int(max(0, top - 0.15 * gap))
        band = L[y0:y1, bx0:bx1]
        if band.size:
            dark_shares.append(float((band < skin_l - cfg.brow_dark_delta).mean()))
        ex0, ey0, ex1, ey1 = points_box(eye, 0.15, shape)
        box = L[ey0:ey1, ex0:ex1]
        if box.size:
            eye_rel.append(float(np.median(box)) / max(skin_l, 1.0))
    dark = max(dark_shares) if dark_shares else 0.0
    rel = min(eye_rel) if eye_rel else 1.0
    m["brow_band_dark_share"] = _r(dark)
    m["eye_relative_lightness"] = _r(rel)
    if dark > cfg.brow_band_max_dark_share or rel < cfg.eye_min_relative_lightness:
        report.add("eyebrows_or_eyes_covered")


def _sharpness_and_texture(rgb, face: Face, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    shape = rgb.shape[:2]
    x0, y0, x1, y1 = points_box(face.lm, 0.0, shape)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return
    gray = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    k = cfg.texture_face_width / max(face.width, 1.0)
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
    gray = cv2.resize(gray, None, fx=k, fy=k, interpolation=interp)
    lap = cv2.Laplacian(gray, cv2.CV_32F, ksize=3)
    m["face_laplacian_var"] = _r(float(lap.var()))
    if m["face_laplacian_var"] < cfg.blur_min_laplacian_var:
        report.add("blurry")
        return  # a blurred picture has no texture to judge

    def local(pts, size):
        pts = (pts[:, :2] - [x0, y0]) * k
        vals = [np.abs(lap[b[1]:b[3], b[0]:b[2]]).mean() for b in _patches(lap.shape, pts, size)]
        return float(np.mean(vals)) if vals else 0.0

    skin = local(face.lm[SKIN_POINTS], cfg.texture_face_width * 0.10)
    eyes = local(face.lm[R_EYE + L_EYE], cfg.texture_face_width * 0.06)
    m["skin_texture"] = _r(skin)
    m["eye_texture"] = _r(eyes)
    if face.width < cfg.texture_min_face_px or eyes <= 0:
        m["skin_texture_ratio"] = None
        return
    m["skin_texture_ratio"] = _r(skin / eyes)
    if skin / eyes < cfg.min_skin_texture_ratio:
        report.add("over_smoothed")


def _chroma(lab: np.ndarray) -> np.ndarray:
    a = lab[..., 1].astype(np.float32) - 128
    b = lab[..., 2].astype(np.float32) - 128
    return np.hypot(a, b)


def _r(x: float) -> float:
    return round(float(x), 4)
