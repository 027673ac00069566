"""The ID card check: one side of the second-generation resident ID card per picture, all four
corners in the frame, sharp, no glare, and the side that was asked for.

"front" is the portrait side (人像面, it carries the holder's photo), "back" the emblem side
(国徽面). The card is found as a large white region with a card's shape (four corners, aspect
1.585 give or take a phone's perspective); several maps of "white" are tried in turn (see ``_masks``)
so that it is found on cloth, patterned and light surfaces, in a coloured light and in a shadow, and
a thumb holding it is cut off its outline. Hand-written with OpenCV rather than a learned document
detector: the card's shape is fixed, and finding it this way takes a few ms on an 800 px copy.
"""

from __future__ import annotations

import datetime
from typing import Literal

import cv2
import numpy as np

from . import idcard_reading
from .analysis import far_faces
from .config import DEFAULT_CONFIG, PhotoConfig
from .decode import Decoded, decode_for
from .report import Report, Stopwatch, run_check

SIDES = ("front", "back")
RECT_W, RECT_H = 856, 540  # the card at 10 px/mm


def check_id_card(
    data: bytes, side: str = "front", cfg: PhotoConfig = DEFAULT_CONFIG, *, decoded: Decoded | None = None,
    reader: idcard_reading.CardReader | None | Literal["default"] = "default", today: datetime.date | None = None,
) -> Report:
    """``decoded``: ``data`` already decoded by the caller (see ``decode_for``), so it is not decoded twice.
    ``reader``: the OCR engine for the card's words ("default": ``SSCARD_ID_OCR``; None: no reading);
    ``today``: the day an expired card is judged against (default: today in China)."""
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}, not {side!r}")
    kind = "id_front" if side == "front" else "id_back"
    engine = idcard_reading.default_reader() if reader == "default" else reader
    return run_check(kind, lambda r, w: _check(data, side, cfg, r, w, decoded, engine, today))


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left, long side horizontal."""
    c = quad.mean(axis=0)
    ang = np.arctan2(quad[:, 1] - c[1], quad[:, 0] - c[0])
    q = quad[np.argsort(ang)]  # clockwise from the left in image coordinates
    # start from the corner nearest the top-left
    start = int(np.argmin(q.sum(axis=1)))
    q = np.roll(q, -start, axis=0)
    if np.linalg.norm(q[1] - q[0]) < np.linalg.norm(q[3] - q[0]):  # standing card: long side vertical
        q = np.roll(q, -1, axis=0)
    return q.astype(np.float32)


def _quad_aspect(q: np.ndarray) -> float:
    a = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    b = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return max(a, b) / max(min(a, b), 1e-6)


def _masks(rgb: np.ndarray):
    """Binary maps of "card-coloured" pixels, from several cues, most reliable first. Each is tried in
    turn until one shows a card: the first alone finds a card on a plain darker desk; the others find
    it on cloth, on a patterned or bright surface, and in a shadow."""
    h, w = rgb.shape[:2]
    k = max(3, int(min(h, w) * 0.01) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))

    def clean(binary: np.ndarray) -> np.ndarray:
        binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
        return cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)

    # 1. Bright and unsaturated (Otsu on value minus half the saturation).
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    chan = cv2.subtract(hsv[..., 2], cv2.multiply(hsv[..., 1], 0.5, dtype=cv2.CV_8U))
    chan = cv2.GaussianBlur(chan, (5, 5), 0)
    _, binary = cv2.threshold(chan, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield clean(binary)
    # 2. White after white balance: the card is the brightest large thing in the picture, so scaling each
    # channel by its 99th percentile takes out a coloured light; "white" is then the darkest channel (a
    # coloured cloth is dark in at least one). Edges cut the map, so a card lying on a lighter patch
    # of a patterned cloth is not merged into the patch.
    ref = np.percentile(rgb.reshape(-1, 3)[:: max(1, h * w // 20000)], 99, axis=0).astype(np.float32)
    bal = rgb.astype(np.float32) * (235.0 / np.maximum(ref, 30.0))
    white = cv2.GaussianBlur(np.clip(bal.min(axis=2), 0, 255).astype(np.uint8), (5, 5), 0)
    _, binary = cv2.threshold(white, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(white, 40, 120), np.ones((3, 3), np.uint8))
    # Opening with a kernel a few times larger cuts the thin bridges (a corner touching a light
    # square) the edges leave, and gives each region its own shape back.
    k2 = max(5, int(min(h, w) * 0.03) | 1)
    big = cv2.getStructuringElement(cv2.MORPH_RECT, (k2, k2))

    def split(binary: np.ndarray) -> np.ndarray:
        binary = cv2.bitwise_and(cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel), cv2.bitwise_not(edges))
        return cv2.morphologyEx(binary, cv2.MORPH_OPEN, big)

    yield clean(binary)
    yield split(binary)
    # 3. Locally white (adaptive threshold over a quarter of the picture): a card half in a shadow.
    block = max(31, (min(h, w) // 4) | 1)
    yield split(cv2.adaptiveThreshold(white, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, -10))


def _fit_quad(cnt: np.ndarray, area: float) -> tuple[np.ndarray, float]:
    """The region's outline as four corners (its convex hull simplified, else its smallest rotated
    rectangle) and how much of that quadrilateral the region fills."""
    hull = cv2.convexHull(cnt)
    peri = cv2.arcLength(hull, True)
    approx = cv2.approxPolyDP(hull, 0.02 * peri, True).reshape(-1, 2).astype(np.float32)
    quad = approx if len(approx) == 4 else cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    quad = _order(quad)
    qa = cv2.contourArea(quad)
    return quad, (area / qa if qa > 0 else 0.0)


def _without_fingers(cnt: np.ndarray, quad: np.ndarray, fill: float) -> tuple[np.ndarray, float]:
    """A thumb holding the card, or a light object touching it, sticks out of its outline: opened with a
    disc a fifth of the region's short side, what sticks out falls away and the card's shape stays."""
    x, y, bw, bh = cv2.boundingRect(cnt)
    short = min(cv2.minAreaRect(cnt)[1])
    r = int(short * 0.1)
    if r < 2:
        return quad, fill
    region = np.zeros((bh + 2, bw + 2), np.uint8)
    cv2.drawContours(region, [cnt - [x - 1, y - 1]], -1, 255, -1)
    region = cv2.morphologyEx(region, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2))
    cnts, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not cnts:
        return quad, fill
    best = max(cnts, key=cv2.contourArea)
    q2, f2 = _fit_quad(best, cv2.contourArea(best))
    return (q2 + [x - 1, y - 1]).astype(np.float32), f2


def _candidates(binary: np.ndarray, cfg: PhotoConfig):
    """Regions of a binary map: (quad, area share, fill, aspect, sides touched), largest first."""
    h, w = binary.shape[:2]
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for cnt in contours:
        area = cv2.contourArea(cnt)
        if area < cfg.card_min_area_share * h * w:
            continue
        pts = cnt.reshape(-1, 2)
        margin = 2
        touched = sum(
            [
                bool((pts[:, 0] <= margin).any()),
                bool((pts[:, 0] >= w - 1 - margin).any()),
                bool((pts[:, 1] <= margin).any()),
                bool((pts[:, 1] >= h - 1 - margin).any()),
            ]
        )
        quad, fill = _fit_quad(cnt, area)
        if not touched and (fill < 0.85 or abs(_quad_aspect(quad) - cfg.card_aspect) > cfg.card_aspect_tolerance):
            quad, fill = _without_fingers(cnt, quad, fill)
        out.append((quad, area / (h * w), fill, _quad_aspect(quad), touched))
    out.sort(key=lambda c: c[1], reverse=True)
    return out


def _find(small: np.ndarray, cfg: PhotoConfig):
    """(cards, second cards, doubles, cut, candidates) from the first map that shows a card or two."""
    tol = cfg.card_aspect_tolerance
    first = None
    for binary in _masks(small):
        cands = _candidates(binary, cfg)
        cards = [c for c in cands if c[2] >= 0.85 and abs(c[3] - cfg.card_aspect) <= tol and c[4] == 0]
        doubles = [
            c for c in cands
            if c[2] >= 0.85 and c[4] == 0 and (abs(c[3] - 1.26) <= 0.12 or abs(c[3] - 3.17) <= 0.4)
        ]
        # A card running out of the picture: a large straight-edged region on one or two edges, no
        # longer than a card (a lit stripe of wood grain across the table is far longer). eval: cut
        # cards cover 20-45 % at aspect 1.3-2.8; grain stripes 5-7 % at aspect 10+.
        cut = [c for c in cands if c[4] in (1, 2) and c[2] >= 0.8 and 0.10 <= c[1] <= 0.85 and c[3] <= 4.0]
        # A second card: any other whole, straight-edged bright region near the first card's size (its
        # outline may be rounder under perspective, so the aspect test is looser).
        second = [
            c for c in cands
            if cards and c is not cards[0] and c[4] == 0 and c[2] >= 0.8 and c[1] >= 0.4 * cards[0][1]
            and abs(c[3] - cfg.card_aspect) <= 2 * tol
        ]
        found = (cards, second, doubles, cut, cands)
        if cards or doubles:
            return found
        if first is None or (cut and not first[3]):  # no card anywhere: a cut one, else nothing
            first = found
    return first


# Where the holder's photo sits on the portrait side, as shares of the card's width and height (upright;
# GB 19104 layout: the photo is 26 x 32 mm, 5-7 mm from the right edge, with a margin for a card
# slightly off its found outline). Its white background is printed white, so it is never glare.
PORTRAIT_WINDOW = (0.62, 0.05, 0.97, 0.80)


def _glare(report: Report, card: np.ndarray, portrait_side: bool, upright: bool | None, cfg: PhotoConfig) -> None:
    """Glare: the largest blob of clipped pixels (all channels >= 248: a white, unsaturated highlight) on
    the card's margin-free inside. On the portrait side the pixels inside the photo window do not count
    (the photo's white background is clipped in a bright room); ``upright`` None: the way the card lies is
    unknown, and neither the window nor its turned place counts."""
    rh, rw = card.shape[:2]
    clipped = (card.min(axis=2) >= 248).astype(np.uint8)
    clipped = cv2.morphologyEx(clipped, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    counted = np.zeros((rh, rw), bool)
    y0, y1, x0, x1 = int(rh * 0.03), int(rh * 0.97), int(rw * 0.03), int(rw * 0.97)
    counted[y0:y1, x0:x1] = True
    if portrait_side:
        a, b, c, d = PORTRAIT_WINDOW
        if upright in (True, None):
            counted[int(rh * b) : int(rh * d), int(rw * a) : int(rw * c)] = False
        if upright in (False, None):
            counted[int(rh * (1 - d)) : int(rh * (1 - b)), int(rw * (1 - c)) : int(rw * (1 - a))] = False
    n, labels, stats, _ = cv2.connectedComponentsWithStats(clipped, connectivity=8)
    outside = np.bincount(labels[counted], minlength=n)
    largest = 0.0
    for i in range(1, n):
        area = float(stats[i, cv2.CC_STAT_AREA])
        if area <= outside[i] or area < cfg.card_glare_max_share * rh * rw:
            largest = max(largest, float(outside[i]))
            continue
        # A reflection is one round blob (it covers the photo's face too); the photo's white ground
        # wraps round the head, so its blob is hollow.
        x, y, bw, bh = stats[i, :4]
        blob = (labels[y : y + bh, x : x + bw] == i).astype(np.uint8)
        cnts, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.contourArea(cv2.convexHull(np.vstack(cnts)))
        solid = area / hull if hull > 0 else 0.0
        largest = max(largest, area if solid >= cfg.card_glare_min_solidity else float(outside[i]))
    report.metrics["glare_share"] = round(largest / ((y1 - y0) * (x1 - x0)), 4)
    if report.metrics["glare_share"] > cfg.card_glare_max_share:
        report.add("glare")


def _check(
    data: bytes, side: str, cfg: PhotoConfig, report: Report, watch: Stopwatch, decoded: Decoded | None = None,
    reader: idcard_reading.CardReader | None = None, today: datetime.date | None = None,
) -> None:
    m = report.metrics
    # Text needs more pixels than a face: analyse at up to 1600 px.
    img = decode_for(report, data, cfg, source=decoded, min_side=1200, max_side=1600)
    if img is None:
        return
    watch.lap("decode")
    rgb = img.rgb
    H, W = rgb.shape[:2]

    # Find the card on a copy of at most 800 px: shapes need no detail.
    k = min(1.0, 800 / max(H, W))
    small = cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else rgb
    cards, second, doubles, cut, cands = _find(small, cfg)
    watch.lap("find")
    m["card_candidates"] = len(cands)
    if second or (doubles and not cards):
        report.add("two_cards_in_one_image")
        return
    if not cards:
        report.add("corners_cut_off" if cut else "card_not_found")
        if not cut and max(img.width, img.height) < cfg.card_min_width_px:
            report.add("too_few_pixels")
        return
    quad, share, fill, aspect, _ = cards[0]
    m["card_area_share"] = round(float(share), 4)
    m["card_aspect"] = round(float(aspect), 3)
    quad_full = quad / k
    # The card's corners as fractions of the picture (clockwise from top left): drawn on the reviewer's screen.
    m["card_quad"] = [[round(float(x) / W, 4), round(float(y) / H, 4)] for x, y in quad_full]
    margin = cfg.card_corner_margin * min(H, W)
    inside = float(min(quad_full[:, 0].min(), quad_full[:, 1].min(), W - 1 - quad_full[:, 0].max(),
                       H - 1 - quad_full[:, 1].max()))
    m["corner_margin_px"] = round(inside / img.scale, 1)
    if inside < margin:
        report.add("corners_cut_off")

    card_w = float(np.linalg.norm(quad_full[1] - quad_full[0]) + np.linalg.norm(quad_full[2] - quad_full[3])) / 2
    m["card_width_px"] = round(card_w / img.scale)
    if m["card_width_px"] < cfg.card_min_width_px:
        report.add("too_few_pixels")

    # The card at its own resolution (never enlarged) for blur and glare.
    scale = min(1.0, card_w / RECT_W)
    rw, rh = int(RECT_W * scale), int(RECT_H * scale)
    dst = np.float32([[0, 0], [rw - 1, 0], [rw - 1, rh - 1], [0, rh - 1]])
    M = cv2.getPerspectiveTransform(quad_full, dst)
    card = cv2.warpPerspective(rgb, M, (rw, rh), flags=cv2.INTER_LINEAR)
    inner = card[int(rh * 0.03) : int(rh * 0.97), int(rw * 0.03) : int(rw * 0.97)]
    gray = cv2.cvtColor(inner, cv2.COLOR_RGB2GRAY).astype(np.float32)
    gray *= 200.0 / max(float(np.percentile(gray, 90)), 30.0)
    sharp = float(cv2.Laplacian(gray, cv2.CV_32F, ksize=3).var()) * (RECT_W / max(rw, 1)) ** 2 / 10
    m["card_sharpness"] = round(sharp, 2)
    if sharp < cfg.card_blur_min_laplacian_var:
        report.add("blurry")

    watch.lap("measure")

    # Which side: the words on it when they say (公民身份号码 / 签发机关, 有效期限), else the portrait side's face.
    face_img = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(quad_full, np.float32(
        [[0, 0], [RECT_W - 1, 0], [RECT_W - 1, RECT_H - 1], [0, RECT_H - 1]])), (RECT_W, RECT_H))
    reading = idcard_reading.read_card(face_img, side, reader) if reader is not None else None
    report.reading = reading
    if reading is not None:
        m["ocr_read"] = reading.read_anything
        m["ocr_side"] = reading.side_read
        watch.lap("ocr")
    upright: bool | None = None  # which way up the card lies, when the face says
    if reading is not None and reading.side_read is not None:
        has_face = reading.side_read == "front"
    else:
        faces = far_faces(face_img, cfg)
        if faces:
            upright = True
        else:  # the card may lie upside down
            faces = far_faces(face_img[::-1, ::-1].copy(), cfg)
            upright = False if faces else None
        m["card_faces"] = len(faces)
        has_face = bool(faces)
    watch.lap("side")
    _glare(report, card, has_face, upright, cfg)
    watch.lap("glare")
    if (side == "front") != has_face:
        report.add("wrong_side")
    elif reading is not None and reading.expired(today or idcard_reading.today_in_china()):
        report.problems.append(idcard_reading.expired_problem(reading))
