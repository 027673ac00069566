"""The portrait check: is this upload good enough to become a card photo, and if not, why."""

from __future__ import annotations

import cv2
import numpy as np

from . import hoops, models, necklace, studs
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
from .colour import median_reference, squared_sum, touches_edge
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
    eye_l = _eye_whites(rgb, face)
    highlight = _person_highlight(lab_small, mask_small)
    skin_l = _exposure(skin_lab, [rgb[y0:y1, x0:x1] for x0, y0, x1, y1 in skin_boxes], bg_lab, eye_l, highlight,
                       cfg, report)
    # A small person on a big white wall has little colour overall: the skin decides.
    skin_chroma = float(np.mean([_chroma(p).mean() for p in skin_lab])) if skin_lab else 0.0
    m["skin_chroma"] = _r(skin_chroma)
    if colourless and skin_chroma < cfg.min_skin_chroma:
        report.add("grayscale")
    skin_ref = (np.median(np.concatenate([p.reshape(-1, 3) for p in skin_lab]), axis=0).astype(np.float32)
                if skin_lab else None)
    _clothes(lab_small, mask_small, face_small, bg_lab, border_sides, cfg, report, skin_ref)
    _brows_and_eyes(rgb, face, skin_l, eye_l, cfg, report)
    _sharpness_and_texture(rgb, face, cfg, report)
    if skin_ref is not None:
        _head_ears_and_jewellery(rgb, face, skin_ref, bg_lab, cfg, report)
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
        if m["image_lightness"] < cfg.no_face_dark_max:
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
        # Flatness from every second pixel along each line: the same verdict at half the cost. The
        # strip ends at the first line that is not flat, so lines are looked at a block at a time
        # until one is found (each line's flatness is its own: the blocks give the same answer).
        first = first.mean(axis=0)
        t = maxk
        for i in range(0, maxk, _BORDER_BLOCK):
            head = arr[i:min(maxk, i + _BORDER_BLOCK), ::2].astype(np.float32)
            flat = (head.std(axis=1).max(axis=1) <= cfg.border_flat_std) & (
                np.abs(head.mean(axis=1) - first).max(axis=1) <= 10
            )
            if not flat.all():
                t = i + int(np.argmin(flat))
                break
        if t < max(2, int(n * cfg.border_min_ratio)) or t >= maxk or t + 1 >= n:
            continue
        # the step: compare the strip to the content two lines further in (anti-aliased edges)
        inner = arr[min(n - 1, t + 1)].astype(np.int16)
        step = np.abs(inner - arr[t - 1].astype(np.int16)).max(axis=1)
        if float((step > cfg.border_step).mean()) >= cfg.border_step_share:
            found[name] = t
    return found


_BORDER_BLOCK = 16  # lines: a plain wall's strip above the head is some 40 lines of the overview copy


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
    dev = np.sqrt(squared_sum(px - med))
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


def _eye_whites(rgb, face: Face) -> list[float]:
    """Per eye, the brightest 3 % (OpenCV L) of the lower half of the eye box: the whites. Only the
    lower half: thick dark brows reaching the upper lid darken the upper half (issue #12: a man with
    thick eyebrows was refused), while dark lenses cover the whites too. (The brightest tenth, until
    round six, was the lower lid's skin where narrow eyes show little white: dark skin in good light
    was then refused as too dark.)"""
    out = []
    for eye_idx in (R_EYE, L_EYE):
        eye = face.lm[eye_idx, :2]
        ex0, _, ex1, ey1 = points_box(eye, 0.15, rgb.shape[:2])
        ey0 = int(round(float(eye[:, 1].mean())))
        box = _lab(rgb, (ex0, ey0, ex1, ey1))[..., 0]
        if box.size:
            out.append(float(np.percentile(box, 97)))
    return out


def _person_highlight(lab_small: np.ndarray, mask_small: np.ndarray) -> float | None:
    """The brightest 1 % (OpenCV L) of the person, away from their outline (where the wall blends in):
    in light from the front something on a person is near white (eye whites, teeth, a collar, the
    shine on a forehead or on hair); against the light nothing is. None when too little person shows."""
    core = cv2.erode((mask_small > 0.9).astype(np.uint8), _PERSON_CORE).astype(bool)
    if core.sum() < 100:
        return None
    return float(np.percentile(lab_small[..., 0][core], 99))


_PERSON_CORE = np.ones((7, 7), np.uint8)  # overview pixels (<= 480 px a side): 3 px in from the outline


def _exposure(skin_lab: list[np.ndarray], skin_rgb: list[np.ndarray], bg_lab, eye_l: list[float],
              highlight: float | None, cfg: PhotoConfig, report: Report) -> float:
    """Face lightness from the skin patches (Lab and RGB of each), against the wall; ``eye_l``: the
    eyes' whites (see ``_eye_whites``) and ``highlight`` the person's brightest (``_person_highlight``),
    which tell dark skin in good light from a face in shadow."""
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
    # Dark skin in good light keeps bright eye whites; a face in shadow or against the light does not,
    # and against the light nothing else on the person is bright either (eye whites as pale as the
    # held-out part's fairest face keep 100 of their 237 there, as much as narrow eyes in good light).
    whites = max(eye_l) if eye_l else 0.0
    m["eye_whites_lightness"] = _r(whites)
    m["person_highlight"] = _r(highlight) if highlight is not None else None
    shadowed = whites < cfg.dark_face_max_eye_whites or (
        highlight is not None and highlight < cfg.shadow_max_person_highlight)
    if ((skin_l < cfg.face_min_lightness or backlit) and shadowed) or dim:
        report.add("too_dark")
    if skin_l > cfg.face_max_lightness or m["face_clipped_share"] > cfg.face_max_clipped_share:
        report.add("too_bright")
    return skin_l


def _clothes(lab, mask, face: Face, bg_lab, border: dict, cfg: PhotoConfig, report: Report,
             skin_ref: np.ndarray | None) -> None:
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
    px = region[person]
    to_bg = px - bg_lab
    dev = np.sqrt(squared_sum(to_bg))
    blends = dev < cfg.clothes_bg_de
    if skin_ref is not None:
        # Pale skin in strong light (a bare neck) comes within clothes_bg_de of a white wall; it is
        # not clothes: skin-like and nearer the face's colour than the wall's in hue (a, b), where a
        # white or cream top is nearer the wall's.
        to_skin = squared_sum(px[:, 1:] - skin_ref[1:])
        to_wall = squared_sum(to_bg[:, 1:])
        blends &= ~(_skin_like(px, skin_ref, cfg) & (to_skin < to_wall))
    share = float(blends.mean())
    m["clothes_bg_share"] = _r(share)
    if share > cfg.clothes_max_bg_share:
        report.add("clothes_blend_with_background")


def _brows_and_eyes(rgb, face: Face, skin_l: float, eye_l: list[float], cfg: PhotoConfig, report: Report) -> None:
    m = report.metrics
    shape = rgb.shape[:2]
    dark_shares = []
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
    # The whites stay near skin lightness on a bare eye and drop on dark lenses.
    eye_rel = [v / max(skin_l, 1.0) for v in eye_l]
    dark = max(dark_shares) if dark_shares else 0.0
    rel = min(eye_rel) if eye_rel else 1.0
    m["brow_band_dark_share"] = _r(dark)
    m["eye_relative_lightness"] = _r(rel)
    # (Dark lenses are not judged on a picture refused as too dark: there the whites of a dark-skinned
    # face sink below a third of the skin's lightness too; seen on the held-out part in four seeds,
    # never on train. The person is asked for light first.)
    lenses = rel < cfg.eye_min_relative_lightness and "too_dark" not in report.codes
    if dark > cfg.brow_band_max_dark_share or lenses:
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
    # A shaking hand smears along one direction only, leaving edges across it sharp, so the mean
    # Laplacian above can stay high. The second derivative along the smear collapses: its RMS along
    # the weakest direction around the eyes (steered over every angle, so a smear between the axes
    # is seen as well as one along them), and that against the strongest (a face's own structure is
    # never that one-sided at the eyes).
    # Over the same patches as the eye sharpness above (the lids and lashes, not the skin round them,
    # which a beauty filter smooths).
    pts = (face.lm[R_EYE + L_EYE, :2] - [x0, y0]) * k
    bx0, by0, bx1, by1 = points_box(pts, 0.3, lap.shape)
    eye_gray = gray[by0:by1, bx0:bx1]
    patches = _patches(eye_gray.shape, pts - [bx0, by0], fw * 0.06)
    if eye_gray.shape[0] >= 5 and eye_gray.shape[1] >= 5 and patches:
        sel = np.zeros(eye_gray.shape, bool)
        for px0, py0, px1, py1 in patches:
            sel[py0:py1, px0:px1] = True
        m["eye_directional_min"], m["eye_directional_ratio"] = _steered_second_differences(eye_gray, sel)
    else:
        m["eye_directional_min"], m["eye_directional_ratio"] = None, None
    smeared = m["eye_directional_min"] is not None and (
        m["eye_directional_min"] < cfg.blur_min_directional or m["eye_directional_ratio"] < cfg.blur_min_directional_ratio
    )
    if (eyes < cfg.blur_min_eye_sharpness or smeared) and "eyebrows_or_eyes_covered" not in report.codes:
        report.add("blurry")
        return  # a blurred picture has no texture to judge
    if face.width < cfg.texture_min_face_px:
        m["skin_texture_ratio"] = None
        return
    m["skin_texture_ratio"] = _r(skin / eyes)
    if skin / eyes < cfg.min_skin_texture_ratio:
        report.add("over_smoothed")


def _head_ears_and_jewellery(rgb, face: Face, skin: np.ndarray, bg_lab, cfg: PhotoConfig, report: Report) -> None:
    """Head covering, hair over the ears and jewellery, from where they sit relative to the face mesh
    and how their colour differs from the cheek skin (``skin``: its median OpenCV Lab).

    Hand-written measures rather than a trained detector: no small, permissively licensed model for
    hats, ears or jewellery ships in a package we can install (and none could be fetched at run time)."""
    m = report.metrics
    shape = rgb.shape[:2]
    lm = face.lm
    fw = face.width

    def lab8(box):  # OpenCV 8-bit Lab of a box, clipped to the picture
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(shape[1], x1), min(shape[0], y1)
        return _lab(rgb, (x0, y0, x1, y1))

    # The zones' colours are 8-bit Lab, so each colour test is looked up per channel rather than
    # worked out per pixel (the same float32 terms, summed in the same order: the same answer).
    skin_like = _SkinTerms(skin, cfg).like
    wall = None if bg_lab is None else np.asarray(bg_lab, np.float32)
    wall_terms = None if wall is None else _WallTerms(wall, cfg)

    def wall_like(px8):  # 8-bit Lab
        if wall_terms is None:
            return np.zeros(px8.shape[:-1], bool)
        return wall_terms.like(px8)

    # --- head covering: the upper forehead (skin below a bare hairline) and the crown above it
    top = float(lm[FOREHEAD_TOP, 1])
    brow_top = float(lm[R_BROW + L_BROW, 1].min())
    cx = float(face.eye_mid[0])
    # from just above the top of the mesh (the hairline) to a third of the way down to the brows
    fore8 = lab8((cx - 0.2 * fw, top - 0.06 * fw, cx + 0.2 * fw, top + 0.35 * (brow_top - top)))
    fore = fore8.astype(np.float32)
    fore_skin = float(skin_like(fore8).mean()) if fore.size else 1.0
    # Hair over the forehead (a fringe) runs in strands, top to bottom: brightness changes much more
    # across (x) than along (y). A hat's or scarf's fabric has no such grain.
    if fore.shape[0] >= 3 and fore.shape[1] >= 3:
        gx = cv2.Sobel(fore[..., 0], cv2.CV_32F, 1, 0)
        gy = cv2.Sobel(fore[..., 0], cv2.CV_32F, 0, 1)
        strands = float((gx * gx).mean()) / max(float((gy * gy).mean()), 1.0)
    else:
        strands = 0.0
    m["forehead_strand_ratio"] = _r(strands)
    # (hair grain needs resolution: not judged on small faces, like the beauty filter)
    # (both clauses read the grain, so the size condition applies to both)
    covered = fw >= cfg.texture_min_face_px and (
        (fore_skin < cfg.head_cover_max_forehead_skin and strands < cfg.head_cover_max_strands)
        or (fore_skin < cfg.head_cover_fabric_max_forehead_skin and strands < cfg.head_cover_fabric_max_strands)
    )
    if covered:
        report.add("head_covering", allowed_variant=cfg.allow_religious_head_covering)
    crown8 = lab8((cx - 0.35 * fw, top - 0.4 * fw, cx + 0.35 * fw, top - 0.05 * fw))
    crown = crown8.astype(np.float32)
    person = ~wall_like(crown8)  # (the crown's pixels that are not the wall: hair or a covering)
    if crown.size:
        chroma = np.hypot(crown[..., 1] - 128, crown[..., 2] - 128)  # (per pixel: taken before picking)
        crown_chroma = float(np.median(chroma[person] if person.any() else chroma.reshape(-1)))
        crown_person = float(person.mean())
    else:
        crown_chroma, crown_person = 0.0, 0.0
    # A covering the colour of skin (a beige hood or beanie) passes the forehead test; one that stops
    # above the hairline leaves the forehead bare. Both leave the crown smooth: hair has fine grain
    # everywhere, fabric is flat. (Not judged on a blurred or dark picture, whose hair is flat too.)
    crown_texture = None
    if crown.shape[0] >= 3 and crown.shape[1] >= 3 and crown_person >= 0.5:
        cgx = cv2.Sobel(crown[..., 0], cv2.CV_32F, 1, 0)
        cgy = cv2.Sobel(crown[..., 0], cv2.CV_32F, 0, 1)
        crown_texture = float(np.sqrt((cgx * cgx + cgy * cgy)[person].mean()))
    m["crown_texture"] = _r(crown_texture) if crown_texture is not None else None
    judged = fw >= cfg.texture_min_face_px and not {"blurry", "too_dark"} & set(report.codes)
    if (not covered and judged and crown_texture is not None
            and crown_texture < cfg.head_cover_max_crown_texture):
        report.add("head_covering", allowed_variant=cfg.allow_religious_head_covering)
    m["forehead_skin_share"] = _r(fore_skin)
    m["crown_chroma"] = _r(crown_chroma)
    m["crown_person_share"] = _r(crown_person)

    # --- ears: beside the face outline from the upper cheek to the bottom of the nose
    ear_skin, ear_dark = [], []
    y0 = float(lm[[127, 356], 1].mean()) + 0.05 * fw
    y1 = float(lm[[132, 361], 1].mean())
    for outline, side in ((234, -1), (454, 1)):
        ox = float(lm[outline, 0])
        x0, x1 = sorted((ox + side * 0.12 * fw, ox + side * 0.01 * fw))
        px8 = lab8((x0, y0, x1, y1))
        if not px8.size:
            continue
        px = px8.astype(np.float32)
        person = ~wall_like(px8)
        n = max(int(person.sum()), 1)
        ear_skin.append(float((skin_like(px8) & person).sum()) / n if person.mean() > 0.2 else 1.0)
        ear_dark.append(float(((px[..., 0] < skin[0] - cfg.brow_dark_delta) & person).sum()) / px[..., 0].size)
    m["ear_skin_share"] = _r(min(ear_skin)) if ear_skin else None
    m["ear_hair_share"] = _r(min(ear_dark)) if ear_dark else None
    # (the zones are upright boxes: on a tilted head they take in the hair, and the head is refused as
    # tilted anyway)
    if ear_dark and min(ear_dark) > cfg.ears_max_hair_share and abs(face.roll_deg) <= cfg.max_roll_deg:
        report.add("ears_covered")

    # --- jewellery: a small piece of metal colour on what it is worn on (ear lobes, piercing spots;
    # a necklace is found apart, below). A median filter wider than a stud keeps a step (the
    # hairline, the wall) where it is and removes only what is thinner than half its window, so the
    # difference from it is the small things alone. Metal there is yellower than its surroundings
    # (gold, rose gold), or a bright or grey neutral on skin (silver, pearl); a darker spot (a mole, a
    # pore, a fold's shadow) is not jewellery.
    win = max(5, int(fw * cfg.jewel_median_window)) | 1
    piece_min, piece_max = cfg.jewel_piece_min_area * fw * fw, cfg.jewel_piece_max_area * fw * fw

    def disc_min_dl(under, lobe):
        # A highlight is no brighter than white: at a piercing spot on pale skin in good light a stud's
        # highlight has less room over the skin it lies on (``under``: the median L beneath it). Not at
        # the ear lobes, where the shine on a pale lobe against the wall would then count.
        if lobe or cfg.jewel_disc_headroom_share is None:
            return cfg.jewel_disc_min_dl
        return min(cfg.jewel_disc_min_dl, cfg.jewel_disc_headroom_share * (255.0 - float(under.mean())))

    def pieces(px8, lobe=False):  # px8: the zone in 8-bit Lab
        if px8.shape[0] < win or px8.shape[1] < win:
            return 0.0
        ref8 = median_reference(px8, win)
        ref, px = ref8.astype(np.float32), px8.astype(np.float32)
        L, a, b = px[..., 0], px[..., 1] - 128, px[..., 2] - 128
        ra, rb = ref[..., 1] - 128, ref[..., 2] - 128
        d_l = L - ref[..., 0]
        chroma = np.hypot(a, b)
        px_skin = skin_like(px8)
        on_skin = skin_like(ref8)
        # At a piercing spot, pale gold on warm skin is hardly yellower than the skin but far less red:
        # its step towards gold (more yellow, less red) counts there too.
        gold_step = None
        if not lobe and cfg.jewel_spot_gold_min_step is not None:
            gold_step = (b - rb) - (a - ra)
        yellow_step = b - rb > cfg.jewel_min_db
        if gold_step is not None:
            yellow_step |= gold_step > cfg.jewel_spot_gold_min_step
        # (skin itself is yellower than a grey patch of wall or shirt beside it, so not skin-like)
        yellower = yellow_step & (b > cfg.jewel_gold_min_b) & (a < b) & (L > 110) & ~px_skin
        grey_step = np.hypot(a - ra, b - rb) > cfg.jewel_min_db
        # (on a brow or hair only a clearly brighter one: a grey hair is as grey as silver)
        neutral = (chroma < cfg.jewel_neutral_max_chroma) & (
            (on_skin & ((d_l > cfg.jewel_min_dl) | grey_step)) | (d_l > 2 * cfg.jewel_min_dl))
        cand = yellower | neutral
        if cfg.jewel_pale_stud_min_dl is not None and not lobe:
            # pale skin: a pearl or a silver stud's neutral white is "skin-like" by hue (skin_like counts
            # lightness a third), but no skin is that much lighter than its own cheek.
            px_skin = px_skin & ~(neutral & (L > skin[0] + cfg.jewel_pale_stud_min_dl))
        # the wall showing in the notch between the ear lobe and the jaw is white on skin too, but it
        # is part of the wall outside (a pearl's highlight is an island)
        wall_px = wall_like(px8)
        nw, wlab, wst, _ = cv2.connectedComponentsWithStats(wall_px.astype(np.uint8), connectivity=8)
        if nw > 1:
            big = (wst[:, 4] > piece_max) | touches_edge(wst[:, :4], wall_px.shape)
            big[0] = False
            cand &= ~big[wlab]
        total = 0.0
        if lobe and bg_lab is not None:
            # Below and beside the ear lobe, a hoop or a drop hangs against the wall, where the
            # skin-bound measure above cannot see it: pixels whose median surroundings are wall (away
            # from the head's own edge, whose blend and shadow are not taken) but that differ from it
            # and are neutral or yellow and not hair-dark, in compact pieces (not a long sliver: the
            # shadow down a neck's edge).
            away = cv2.distanceTransform(wall_like(ref8).astype(np.uint8), cv2.DIST_L2, 3)
            on_wall = away > max(2.0, cfg.jewel_hang_min_gap * fw)
            de = np.sqrt(squared_sum(px - ref))
            metal = (chroma < cfg.jewel_neutral_max_chroma) | ((b > a) & (b - rb > cfg.jewel_min_db))
            hanging = on_wall & (de > cfg.jewel_hang_min_de) & metal & (L > cfg.jewel_hang_min_l)
            n, hlab, stats, _ = cv2.connectedComponentsWithStats(hanging.astype(np.uint8), connectivity=8)
            for i, (hx, hy, bw, bh, area) in enumerate(stats[1:], start=1):
                side = max(bw, bh)
                if not (piece_min <= area <= piece_max and side <= cfg.jewel_piece_max_side * fw):
                    continue
                # (a drop earring is long too, a thin wire with a ball at its end: a round core
                # left when what is thinner than the smallest stud is opened away tells it from a sliver)
                if (side <= cfg.jewel_hang_max_elongation * max(min(bw, bh), 1)
                        or _is_stud(hlab[hy:hy + bh, hx:hx + bw] == i, (hx, hy), hlab.shape, fw, cfg,
                                    open_by=cfg.jewel_stud_min_radius)):
                    total += float(area)
        if lobe and cfg.jewel_lobe_hoops:
            # a silver or pearl hoop: a thin ring, which neither the stud nor the hanging-piece test
            # above takes (hoops.py)
            total += sum(float(found[4]) for found in hoops.find_hoops(px8, ref8, px_skin, fw))
        # A gold or silver stud beside a skin's sheen is one piece with it (neither round nor gold as
        # a whole): at the piercing spots, gold pieces and neutral ones (without skin-coloured pixels)
        # are taken apart.
        parts = [cand] if lobe else [cand & yellower, cand & ~yellower & ~px_skin]
        for labels, i, (x, y, bw, bh, area) in _components(*parts):
            side = max(bw, bh)
            compact = piece_min <= area <= piece_max and side <= cfg.jewel_piece_max_side * fw
            if not compact:
                continue
            # The piece's strongest step over its surroundings: in yellow (gold, rose gold: skin,
            # hair and cloth never stand out so) and in lightness (a metal piece's highlight).
            sel = (slice(y, y + bh), slice(x, x + bw))
            own = labels[sel] == i
            mean_l, skin_share = float(L[sel][own].mean()), float(px_skin[sel][own].mean())
            piece_chroma = float(chroma[sel][own].mean())
            # (and yellow as a whole: a grey patch with one yellowish pixel at its rim is not gold)
            gold = ((float((b - rb)[sel][own].max()) >= cfg.jewel_gold_min_db
                     or (gold_step is not None and float(gold_step[sel][own].max()) >= cfg.jewel_spot_gold_min_step))
                    and piece_chroma >= cfg.jewel_gold_min_b)
            # silver or pearl: a round bright stud (a skin's sheen is a soft, irregular patch), on
            # skin or bright itself (off the skin, a grey patch where the temple meets the wall or hair
            # is round and lighter than the hair beside it too), and not skin-coloured itself (the
            # skin in a bay of a thick brow's edge is a round light patch on dark)
            # (at a piercing spot _is_stud tests the shape: a small stud's pixels fill less of its box)
            fill = cfg.jewel_disc_min_fill if lobe else cfg.jewel_stud_min_fill
            disc = (area >= fill * bw * bh and side <= cfg.jewel_disc_max_side * fw
                    and float(d_l[sel][own].max()) >= disc_min_dl(ref[..., 0][sel][own], lobe)
                    and (float(on_skin[sel][own].mean()) >= 0.5 or mean_l >= cfg.jewel_hang_min_l)
                    and skin_share < 0.5
                    # (at a piercing spot nearly colourless: the sheen on a pale pink nose keeps some pink)
                    and (lobe or cfg.jewel_spot_disc_max_chroma is None
                         or piece_chroma < cfg.jewel_spot_disc_max_chroma))
            # silver or pearl hanging on hair or cloth below an ear lobe: a neutral piece far lighter
            # than what it lies on and bright itself (hair's sheen is neither), inside the zone (a white
            # collar reaching into it from below is cut by the zone's edge), and not the wall showing
            # between locks of hair. (Not at the brows: the skin or wall between a dark glasses frame
            # and the temple is such a piece.)
            bright = (lobe and cfg.jewel_bright_min_dl is not None
                      and not touches_edge((x, y, bw, bh), labels.shape)
                      and float(d_l[sel][own].mean()) >= cfg.jewel_bright_min_dl
                      and mean_l >= cfg.jewel_hang_min_l
                      and piece_chroma < cfg.jewel_bright_max_chroma
                      and float(wall_px[sel][own].mean()) < 0.5
                      and skin_share < 0.5)
            # (at a piercing spot the stud sits at the spot: a piece reaching the zone's edge goes on
            # beyond it, as the sheen along a nose's ridge does)
            if (gold or disc) and not lobe and (touches_edge((x, y, bw, bh), labels.shape)
                                                or not _is_stud(own, (x, y), labels.shape, fw, cfg)):
                gold = disc = False
            if gold or disc or bright:
                total += area
        return round(total / (fw * fw) * 1000, 3)

    zones = {}
    for lobe, outline, side in ((177, 234, -1), (401, 454, 1)):
        # The ear lobe: mesh point 177 (401) lies on it, just inside the face outline (234, 454) seen
        # from the front; an earring sits on it or hangs below it, outward of the outline.
        lx, ly = (float(v) for v in lm[lobe, :2])
        inner = lx - side * 0.06 * fw
        outer = (max if side > 0 else min)(lx, float(lm[outline, 0])) + side * 0.12 * fw
        x0, x1 = sorted((inner, outer))
        zones[f"lobe{side}"] = (x0, ly - 0.05 * fw, x1, ly + 0.22 * fw)
    chin = lm[CHIN, :2]
    for idx in (129, 358, 46, 276):  # the sides of the nose, the outer ends of the brows
        p = lm[idx, :2]
        zones[f"p{idx}"] = (p[0] - 0.06 * fw, p[1] - 0.06 * fw, p[0] + 0.06 * fw, p[1] + 0.06 * fw)
    zone_lab = {name: lab8(box) for name, box in zones.items()}
    scores = {name: pieces(px8, lobe=name.startswith("lobe")) for name, px8 in zone_lab.items()}
    m["jewellery_scores"] = scores
    jewel = max(scores.values()) if scores else 0.0
    m["jewellery_score"] = _r(jewel)
    m["jewellery_zone"] = max(scores, key=scores.get) if scores else None
    # Judged only where colour and detail can be trusted: not on a grey, over-exposed (clipped skin
    # shines like metal) or tilted picture (the zones are upright boxes), nor on a small face, nor
    # against a coloured wall (the wall showing beside the ear is told by its white).
    untrusted = {"grayscale", "too_bright", "head_tilted", "background_not_white"}
    judged = fw >= cfg.texture_min_face_px and not untrusted & set(report.codes)
    # A necklace of any metal, on skin or on cloth: a thin arc hanging under the chin (necklace.py);
    # looked for only where the verdict would count.
    span, short_arm = None, None
    if judged and cfg.jewel_necklace_min_span is not None:
        x0 = max(0, int(chin[0] - 0.38 * fw))
        span, chain = necklace.chain_span(lab8((x0, chin[1] + 0.15 * fw, chin[0] + 0.38 * fw, chin[1] + 0.85 * fw)),
                                          fw, float(chin[0]) - x0)
        short_arm = chain.get("short_arm", 0.0)
    m["necklace_span"] = _r(span) if span is not None else None
    m["necklace_short_arm"] = short_arm
    necklace_seen = span is not None and (span >= cfg.jewel_necklace_min_span or (
        cfg.jewel_necklace_min_short_arm is not None and short_arm >= cfg.jewel_necklace_min_short_arm))
    # (at the piercing spots a piece counts only when it is a stud, see _is_stud: any one is enough)
    spot_min = cfg.jewel_min_score if cfg.jewel_spot_min_score is None else cfg.jewel_spot_min_score

    def over(name, score):
        limit = spot_min if name.startswith("p") else cfg.jewel_min_score
        return limit is not None and score > limit

    pieces_seen = any(over(name, score) for name, score in scores.items())
    # A stud where the jaw meets the wall has mixed surroundings, which the piece measure cannot take
    # for skin, hair or wall: studs.py looks for its round shape instead, at the ear lobes, and counts
    # a pair (one at each lobe, as earrings are worn): a single round patch beside a jaw can be a
    # piece of a collar or of the background (train: a grey collar beside a close-up's jaw). Looked
    # for only where the verdict would count and is not made yet.
    pair, m["lobe_studs"] = False, None
    if judged and cfg.jewel_lobe_studs and not (pieces_seen or necklace_seen):
        m["lobe_studs"] = [len(studs.find_studs(px8, fw, skin, wall)) for name, px8 in zone_lab.items()
                           if name.startswith("lobe")]
        pair = len(m["lobe_studs"]) == 2 and min(m["lobe_studs"]) >= 1
    if judged and (pieces_seen or necklace_seen or pair):
        report.add("jewellery")


def _components(*masks: np.ndarray):
    """Each 8-connected piece of each mask, in turn: its mask's labels, its label, and its box and area
    (x, y, w, h, area)."""
    for mask in masks:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        for i in range(1, n):
            yield labels, i, tuple(int(v) for v in stats[i])


_LEVELS = np.arange(256, dtype=np.float32)  # every 8-bit channel value


class _SkinTerms:
    """``_skin_like`` for 8-bit Lab by table: each channel's float32 term for each of its 256 values,
    summed in ``_skin_like``'s order, so every pixel gets the same answer for a fraction of the work."""

    def __init__(self, skin: np.ndarray, cfg: PhotoConfig):
        dl = (_LEVELS - skin[0]) / 3
        da, db = _LEVELS - skin[1], _LEVELS - skin[2]
        self.l, self.a, self.b = dl * dl, da * da, db * db
        self.limit = cfg.skin_like_de ** 2

    def like(self, px8: np.ndarray) -> np.ndarray:
        return self.a[px8[..., 1]] + self.b[px8[..., 2]] + self.l[px8[..., 0]] < self.limit


class _WallTerms:
    """Which 8-bit Lab pixels are the wall's colour: ``squared_sum(px - wall) < bg_deviation_de ** 2``
    by table, each channel's square looked up and summed in ``squared_sum``'s order (the same answer)."""

    def __init__(self, wall: np.ndarray, cfg: PhotoConfig):
        self.sq = [np.square(_LEVELS - wall[c]) for c in range(3)]
        self.limit = cfg.bg_deviation_de ** 2

    def like(self, px8: np.ndarray) -> np.ndarray:
        return (self.sq[0][px8[..., 0]] + self.sq[1][px8[..., 1]]) + self.sq[2][px8[..., 2]] < self.limit


def _skin_like(px: np.ndarray, skin: np.ndarray, cfg: PhotoConfig) -> np.ndarray:
    """Which Lab pixels have the face's skin colour: (a, b) count fully, lightness a third (shading
    changes L, not the hue of skin). Squared distances against the squared threshold: the same
    answer without a square root."""
    dl = (px[..., 0] - skin[0]) / 3
    da, db = px[..., 1] - skin[1], px[..., 2] - skin[2]
    return da * da + db * db + dl * dl < cfg.skin_like_de ** 2


def _is_stud(own: np.ndarray, origin: tuple[int, int], zone: tuple[int, ...], fw: float, cfg: PhotoConfig,
             open_by: float | None = None) -> bool:
    """Whether a piece (``own``: its mask, in its box at ``origin`` of a zone of shape ``zone``) is a
    piercing's stud: round, inside the zone and no thinner than a stud. A glasses frame crossing the
    brow end (gold or silver wire, amber plastic) is a line, or runs on out of the zone. Judged on the
    piece's thick core: what a thin line of sheen or frame joins to a stud is opened away first (where
    a frame's arm meets its rim, the core left is a small knot, thinner than any stud)."""
    if cfg.jewel_stud_min_roundness is None:
        return True
    k = max(1, int(round((cfg.jewel_stud_open if open_by is None else open_by) * fw)))
    core = cv2.morphologyEx(np.pad(own, 1).astype(np.uint8), cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(core, connectivity=8)
    if n < 2:
        return False
    j = 1 + int(np.argmax(stats[1:, 4]))
    x, y, w, h = (int(v) for v in stats[j, :4])
    box = (origin[0] + x - 1, origin[1] + y - 1, w, h)  # (zone pixels: the mask was padded by one)
    radius = float(cv2.distanceTransform((labels == j).astype(np.uint8), cv2.DIST_L2, 3).max())
    return (not touches_edge(box, zone) and radius >= cfg.jewel_stud_min_radius * fw
            and 2 * radius >= cfg.jewel_stud_min_roundness * max(w, h))


def _steered_second_differences(gray: np.ndarray, sel: np.ndarray) -> tuple[float, float]:
    """The second derivative along every direction (5-degree steps), steered from three filters
    (d2/dx2, d2/dxdy, d2/dy2): its RMS over ``sel`` along the weakest direction, and that against the
    strongest. A smear at any angle (not only the four a fixed set of kernels looks along) is found."""
    gxx = cv2.filter2D(gray, cv2.CV_32F, _D2[0])[sel]
    gxy = cv2.filter2D(gray, cv2.CV_32F, _D2[1])[sel]
    gyy = cv2.filter2D(gray, cv2.CV_32F, _D2[2])[sel]
    g = np.stack([gxx, gxy, gyy])
    moments = g @ g.T / max(g.shape[1], 1)
    t = _STEER_ANGLES
    v = np.stack([np.cos(t) ** 2, 2 * np.cos(t) * np.sin(t), np.sin(t) ** 2])
    energy = np.einsum("ia,ij,ja->a", v, moments, v)
    lo, hi = float(np.sqrt(max(energy.min(), 0.0))), float(np.sqrt(max(energy.max(), 1e-6)))
    return _r(lo), _r(lo / hi)


_STEER_ANGLES = np.deg2rad(np.arange(0, 180, 5, dtype=np.float64))
_D2 = (
    np.array([[0, 0, 0], [1, -2, 1], [0, 0, 0]], np.float32),
    np.array([[1, 0, -1], [0, 0, 0], [-1, 0, 1]], np.float32) / 4,
    np.array([[0, 1, 0], [0, -2, 0], [0, 1, 0]], np.float32),
)

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
