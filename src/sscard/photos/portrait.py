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
    close_up_faces,
    far_faces,
    hair_top,
    mesh_for,
    points_box,
    shrink,
)
from .config import DEFAULT_CONFIG, PhotoConfig
from .decode import Decoded, decode_for
from .report import Report, Stopwatch, run_check


def check_portrait(data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG, *, decoded: Decoded | None = None) -> Report:
    """``decoded``: ``data`` already decoded by the caller (see ``decode_for``), so it is not decoded twice."""
    return run_check("portrait", lambda report, watch: _check(data, cfg, report, watch, decoded))


def _check(data: bytes, cfg: PhotoConfig, report: Report, watch: Stopwatch, decoded: Decoded | None = None) -> None:
    m = report.metrics
    img = decode_for(report, data, cfg, source=decoded)
    if img is None:
        return
    watch.lap("decode")
    rgb = img.rgb
    H, W = rgb.shape[:2]
    m["analysis_scale"] = round(img.scale, 4)
    if img.width < cfg.min_width or img.height < cfg.min_height:
        report.add("too_few_pixels")
    if len(data) < cfg.min_file_bytes:
        report.add("file_too_small")

    # Whole-picture measures (colour, wall, border, clothes) need no detail: a <= 480 px copy.
    small, ks = shrink(rgb, cfg.overview_side)
    lab_small = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    m["mean_chroma"] = _r(float(_chroma(lab_small[::2, ::2]).mean()))  # a mean: a quarter of the pixels do
    colourless = m["mean_chroma"] < cfg.min_mean_chroma

    # A portrait is a close-up: found, counted and fitted in one pass. The models look at 128-256 px
    # whatever they are given, so the small copy does.
    faces = close_up_faces(small, cfg)
    if faces:
        m["face_detector"] = "short-range"
        widths = [Face(f).width for f in faces]
        m["faces"] = 1 + sum(w >= cfg.second_face_min_ratio * widths[0] for w in widths[1:])
        if m["faces"] > 1:
            report.add("multiple_faces")
            return
        lm_small = faces[0]
    else:
        lm_small = _far_face(rgb, small, ks, colourless, lab_small, cfg, report)
    watch.lap("faces")  # found, counted and fitted
    if lm_small is None:
        return
    lm = lm_small / ks
    face = Face(lm)
    # Where the face is, as fractions of the picture (any resolution): the reviewer's screen draws it on the image.
    x0, y0, x1, y1 = points_box(lm[:, :2], 0.0, (H, W))
    m["face_box"] = [_r(x0 / W), _r(y0 / H), _r(x1 / W), _r(y1 / H)]
    mask_small = models.person_mask(small)
    watch.lap("segment")

    face_small = Face(lm_small)
    _framing(face, face_small, mask_small, img, cfg, report)
    bg_lab, border_sides = _border_and_background(small, lab_small, mask_small, face_small, cfg, report)
    # Face measures at analysis resolution, converted to Lab only where they look (skin patches,
    # brow bands, eyes): Lab is per pixel, so this equals converting the whole face, at a tenth the cost.
    skin_boxes = _patches((H, W), face.lm[SKIN_POINTS], face.width * 0.12)
    skin_lab = [_lab(rgb, b) for b in skin_boxes]
    skin_l = _exposure(skin_lab, [rgb[y0:y1, x0:x1] for x0, y0, x1, y1 in skin_boxes], bg_lab, cfg, report)
    # A small person on a big white wall has little colour overall: the skin decides.
    skin_chroma = float(np.mean([_chroma(p).mean() for p in skin_lab])) if skin_lab else 0.0
    m["skin_chroma"] = _r(skin_chroma)
    if colourless and skin_chroma < cfg.min_skin_chroma:
        report.add("grayscale")
    _clothes(lab_small, mask_small, face_small, bg_lab, border_sides, cfg, report)
    _brows_and_eyes(rgb, face, skin_l, cfg, report)
    _sharpness_and_texture(rgb, face, cfg, report)
    m["border_sides"] = sorted(border_sides)  # px of the overview copy
    watch.lap("measure")


def _far_face(rgb, small, ks: float, colourless: bool, lab_small, cfg: PhotoConfig, report: Report):
    """No close-up face: the full-range detector decides whether there is a face, or several; the
    mesh then fits the one found on a crop around it. Landmarks in overview pixels, or None when the
    verdict is already made."""
    m = report.metrics
    boxes_small = far_faces(small, cfg)
    if not boxes_small and ks < 1:
        # Before saying "no face", one more look at full analysis resolution (only on this path).
        boxes_small = [_scale_box(b, ks) for b in far_faces(rgb, cfg)]
    m["faces"] = len(boxes_small)
    if not boxes_small:
        if colourless:
            report.add("grayscale")
        report.add("no_face")
        # Say so when the picture is simply too dark to see a face in.
        m["image_lightness"] = _r(float(lab_small[..., 0].mean()))
        if m["image_lightness"] < cfg.dim_face_max * 0.75:
            report.add("too_dark")
        return None
    main = boxes_small[0]
    others = [b for b in boxes_small[1:] if b.w >= cfg.second_face_min_ratio * main.w]
    m["face_detector"] = "full-range"
    m["face_score"] = _r(main.score)
    if others:
        m["faces"] = 1 + len(others)
        report.add("multiple_faces")
        return None
    lm_small = mesh_for(small, main)
    if lm_small is None:
        # The detector sees a face the mesh cannot fit: almost always a face turned far aside.
        kp = main.keypoints
        eye_mid = (kp[0] + kp[1]) / 2
        eye_dist = max(float(np.linalg.norm(kp[1] - kp[0])), 1.0)
        m["yaw_ratio"] = _r(float((kp[2][0] - eye_mid[0]) / eye_dist))
        report.add("head_tilted")
    return lm_small


# ---------------------------------------------------------------------------------------------
def _framing(face: Face, face_small: Face, mask: np.ndarray, img, cfg: PhotoConfig, report: Report) -> None:
    """Size, cut and place of the head; ``mask`` is the overview-size person mask, ``face_small`` the
    face in its coordinates."""
    m = report.metrics
    H, W = img.rgb.shape[:2]
    fw = face.width
    m["face_width_ratio"] = _r(fw / W)
    m["face_width_px"] = round(fw / img.scale)
    if fw / W < cfg.face_min_width_ratio or fw / img.scale < cfg.face_min_width_px:
        report.add("face_too_small")

    # Top of the head: the person mask reaching the first rows above the face.
    hs, ws = mask.shape
    cx, half = face_small.eye_mid[0], face_small.width * 0.4
    x0, x1 = int(max(0, cx - half)), int(min(ws, cx + half))
    top_share = float((mask[:2, x0:x1] > 0.5).any(axis=0).mean()) if x1 > x0 else 0.0
    m["head_top_cut_share"] = _r(top_share)
    chin_y = float(face.lm[CHIN, 1])
    m["chin_margin"] = _r((H - chin_y) / H)
    forehead_y = float(face.lm[FOREHEAD_TOP, 1])
    cut = top_share >= cfg.head_top_cut_share or forehead_y < 0.01 * H
    cut = cut or chin_y > H * (1 - cfg.chin_margin_ratio)
    top = hair_top(mask, face_small)
    m["hair_top_ratio"] = _r(top / hs) if top is not None else None
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
    sides = {"top": rgb, "bottom": rgb[::-1], "left": rgb.transpose(1, 0, 2), "right": rgb.transpose(1, 0, 2)[::-1]}
    found = {}
    for name, arr in sides.items():
        n = arr.shape[0]
        maxk = int(n * cfg.border_max_ratio)
        first = arr[0].astype(np.float32)
        # Most sides of a portrait start with clothes or hair: not flat, nothing more to look at.
        if first.std(axis=0).max() > cfg.border_flat_std or maxk < 2:
            continue
        # Flatness from every second pixel along each line: the same verdict at half the cost.
        head = arr[:maxk, ::2].astype(np.float32)
        first = first.mean(axis=0)
        flat = (head.std(axis=1).max(axis=1) <= cfg.border_flat_std) & (
            np.abs(head.mean(axis=1) - first).max(axis=1) <= 10
        )
        t = int(np.argmin(flat)) if not flat.all() else maxk
        if t < max(2, int(n * cfg.border_min_ratio)) or t >= maxk or t + 1 >= n:
            continue
        # the step: compare the strip to the content two lines further in (anti-aliased edges)
        inner = arr[min(n - 1, t + 1)].astype(np.int16)
        step = np.abs(inner - arr[t - 1].astype(np.int16)).max(axis=1)
        if float((step > cfg.border_step).mean()) >= cfg.border_step_share:
            found[name] = t
    return found


def _border_and_background(rgb, lab, mask, face: Face, cfg: PhotoConfig, report: Report):
    m = report.metrics
    H, W = mask.shape
    border = _find_border(rgb, cfg)
    # Clothes always run out of the bottom edge of a portrait, so a flat strip there is padding or a
    # frame; elsewhere a strip can be plain wall, so it takes three sides.
    if "bottom" in border or len(border) >= cfg.border_min_sides:
        report.add("border")

    # Background pixels: confidently not person, away from the person's outline, inside any border.
    person = (mask > 0.5).astype(np.uint8)
    step = 1
    person_s = person
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
    idx = np.flatnonzero(bg)
    if idx.size > 20000:  # plenty for a median and a share; picked before any conversion
        idx = idx[:: idx.size // 20000 + 1]
    px = lab.reshape(-1, 3)[idx].astype(np.float32)
    m["background_share"] = _r(float(bg.mean()))
    if px.shape[0] < 200:
        m["background_lightness"] = None
        return None, border
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
    return med, border


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


def _exposure(skin_lab: list[np.ndarray], skin_rgb: list[np.ndarray], bg_lab, cfg: PhotoConfig, report: Report) -> float:
    """Face lightness from the skin patches (Lab and RGB of each), against the wall."""
    m = report.metrics
    ls = np.concatenate([p[..., 0].ravel() for p in skin_lab]) if skin_lab else np.array([0])
    clipped = np.concatenate([(p >= 250).any(axis=2).ravel() for p in skin_rgb]) if skin_rgb else np.array([False])
    skin_l = float(np.median(ls))
    m["face_lightness"] = _r(skin_l)
    m["face_clipped_share"] = _r(float(clipped.mean()))
    gap = float(bg_lab[0]) - skin_l if bg_lab is not None else 0.0
    m["backlight_gap"] = _r(gap)
    bg_l = float(bg_lab[0]) if bg_lab is not None else 255.0
    dim = skin_l < cfg.dim_face_max and bg_l < cfg.dim_background_max  # the whole picture under-exposed
    backlit = gap > cfg.backlight_min_gap and skin_l < cfg.backlight_face_max
    if skin_l < cfg.face_min_lightness or dim or backlit:
        report.add("too_dark")
    if skin_l > cfg.face_max_lightness or m["face_clipped_share"] > cfg.face_max_clipped_share:
        report.add("too_bright")
    return skin_l


def _clothes(lab, mask, face: Face, bg_lab, border: dict, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    H, W = lab.shape[:2]
    chin_y = float(face.lm[CHIN, 1])
    # The person's pixels below the chin (neck, shoulders, top), inside any border strip: the
    # share that has the wall's colour. Wall showing beside a tilted neck is not person, so it
    # does not count.
    bottom = H - border.get("bottom", 0)
    y0 = int(chin_y + 0.1 * face.height)
    x0 = int(max(border.get("left", 0), face.eye_mid[0] - 1.2 * face.width))
    x1 = int(min(W - border.get("right", 0), face.eye_mid[0] + 1.2 * face.width))
    if bg_lab is None or bottom - y0 < 4 or x1 - x0 < 4:
        m["clothes_bg_share"] = None
        return
    region = lab[y0:bottom:2, x0:x1:2].reshape(-1, 3).astype(np.float32)
    person = mask[y0:bottom:2, x0:x1:2].reshape(-1) > 0.5
    if person.sum() < 50:
        m["clothes_bg_share"] = None
        return
    dev = np.sqrt(((region[person] - bg_lab) ** 2).sum(axis=1))
    share = float((dev < cfg.clothes_bg_de).mean())
    m["clothes_bg_share"] = _r(share)
    if share > cfg.clothes_max_bg_share:
        report.add("clothes_blend_with_background")


def _brows_and_eyes(rgb, face: Face, skin_l: float, cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    shape = rgb.shape[:2]
    dark_shares, eye_rel = [], []
    for brow_idx, eye_idx in ((R_BROW, R_EYE), (L_BROW, L_EYE)):
        brow = face.lm[brow_idx, :2]
        eye = face.lm[eye_idx, :2]
        gap = max(float(eye[:, 1].mean() - brow[:, 1].mean()), 2.0)
        bx0, _, bx1, _ = points_box(brow, 0.0, shape)
        top = float(brow[:, 1].min())
        y0, y1 = int(max(0, top - 0.9 * gap)), int(max(0, top - 0.15 * gap))
        band = _lab(rgb, (bx0, y0, bx1, y1))[..., 0]
        if band.size:
            dark_shares.append(float((band < skin_l - cfg.brow_dark_delta).mean()))
        ex0, ey0, ex1, ey1 = points_box(eye, 0.15, shape)
        box = _lab(rgb, (ex0, ey0, ex1, ey1))[..., 0]
        if box.size:
            # The brightest tenth (the whites of the eyes, the lids) stays near skin lightness on a
            # bare eye and drops on dark lenses.
            eye_rel.append(float(np.percentile(box, 90)) / max(skin_l, 1.0))
    dark = max(dark_shares) if dark_shares else 0.0
    rel = min(eye_rel) if eye_rel else 1.0
    m["brow_band_dark_share"] = _r(dark)
    m["eye_relative_lightness"] = _r(rel)
    if dark > cfg.brow_band_max_dark_share or rel < cfg.eye_min_relative_lightness:
        report.add("eyebrows_or_eyes_covered")


def _sharpness_and_texture(rgb, face: Face, cfg: PhotoConfig, report: Report) -> None:
    """Blur from the eyes (lashes, lids and iris edges are the sharpest detail a face has, and a
    beauty filter leaves them alone); the beauty filter from the skin's texture relative to them."""
    m = report.metrics
    shape = rgb.shape[:2]
    x0, y0, x1, y1 = points_box(face.lm, 0.0, shape)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return
    gray = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY).astype(np.float32)
    # Same scale for every face (never enlarged: enlarging is blur), same exposure.
    k = min(1.0, cfg.texture_face_width / max(face.width, 1.0))
    if k < 1:
        gray = cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    gray *= 150.0 / max(float(np.median(gray)), 30.0)
    lap = np.abs(cv2.Laplacian(gray, cv2.CV_32F, ksize=3))

    def local(pts, size):
        pts = (pts[:, :2] - [x0, y0]) * k
        vals = [lap[b[1]:b[3], b[0]:b[2]].mean() for b in _patches(lap.shape, pts, size)]
        return float(np.mean(vals)) if vals else 0.0

    fw = face.width * k
    eyes = local(face.lm[R_EYE + L_EYE], fw * 0.06)
    skin = local(face.lm[SKIN_POINTS], fw * 0.10)
    m["eye_sharpness"] = _r(eyes)
    m["skin_texture"] = _r(skin)
    if eyes < cfg.blur_min_eye_sharpness and "eyebrows_or_eyes_covered" not in report.codes:
        report.add("blurry")
        return  # a blurred picture has no texture to judge
    if face.width < cfg.texture_min_face_px:
        m["skin_texture_ratio"] = None
        return
    m["skin_texture_ratio"] = _r(skin / eyes)
    if skin / eyes < cfg.min_skin_texture_ratio:
        report.add("over_smoothed")


def _scale_box(b: models.FaceBox, k: float) -> models.FaceBox:
    return models.FaceBox(b.x * k, b.y * k, b.w * k, b.h * k, b.score, b.keypoints * k)


def _lab(rgb: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """OpenCV 8-bit Lab of a region (x0, y0, x1, y1); empty regions give an empty array."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return np.zeros((0, 0, 3), np.uint8)
    return cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2LAB)


def _chroma(lab: np.ndarray) -> np.ndarray:
    a = lab[..., 1].astype(np.float32) - 128
    b = lab[..., 2].astype(np.float32) - 128
    return np.hypot(a, b)


def _r(x: float) -> float:
    return round(float(x), 4)
