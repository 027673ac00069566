"""The ID card check: one side of the second-generation resident ID card per picture, all four
corners in the frame, sharp, no glare, and the side that was asked for.

"front" is the portrait side (人像面, it carries the holder's photo), "back" the emblem side
(国徽面). The app asks people to lay the card on a darker surface, so the card is found as the
large bright, unsaturated region with a card's shape.
"""

from __future__ import annotations

import cv2
import numpy as np

from .analysis import far_faces
from .config import DEFAULT_CONFIG, PhotoConfig
from .decode import Decoded, decode_for
from .report import Report, Stopwatch, run_check

SIDES = ("front", "back")
RECT_W, RECT_H = 856, 540  # the card at 10 px/mm


def check_id_card(
    data: bytes, side: str = "front", cfg: PhotoConfig = DEFAULT_CONFIG, *, decoded: Decoded | None = None
) -> Report:
    """``decoded``: ``data`` already decoded by the caller (see ``decode_for``), so it is not decoded twice."""
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}, not {side!r}")
    kind = "id_front" if side == "front" else "id_back"
    return run_check(kind, lambda r, w: _check(data, side, cfg, r, w, decoded))


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


def _candidates(rgb: np.ndarray, cfg: PhotoConfig):
    """Bright, unsaturated regions: (quad, area share, fill, aspect, sides touched)."""
    h, w = rgb.shape[:2]
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    chan = cv2.subtract(hsv[..., 2], cv2.multiply(hsv[..., 1], 0.5, dtype=cv2.CV_8U))
    chan = cv2.GaussianBlur(chan, (5, 5), 0)
    _, binary = cv2.threshold(chan, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = max(3, int(min(h, w) * 0.01) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for cnt in contours:
        area = cv2.contourArea(cnt)
        if area < cfg.card_min_area_share * h * w:
            continue
        hull = cv2.convexHull(cnt)
        peri = cv2.arcLength(hull, True)
        approx = cv2.approxPolyDP(hull, 0.02 * peri, True).reshape(-1, 2).astype(np.float32)
        quad = approx if len(approx) == 4 else cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
        quad = _order(quad)
        qa = cv2.contourArea(quad)
        fill = area / qa if qa > 0 else 0.0
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
        out.append((quad, area / (h * w), fill, _quad_aspect(quad), touched))
    out.sort(key=lambda c: c[1], reverse=True)
    return out


def _check(
    data: bytes, side: str, cfg: PhotoConfig, report: Report, watch: Stopwatch, decoded: Decoded | None = None
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
    cands = _candidates(small, cfg)
    watch.lap("find")
    tol = cfg.card_aspect_tolerance
    cards = [c for c in cands if c[2] >= 0.85 and abs(c[3] - cfg.card_aspect) <= tol and c[4] == 0]
    doubles = [
        c for c in cands
        if c[2] >= 0.85 and c[4] == 0 and (abs(c[3] - 1.26) <= 0.12 or abs(c[3] - 3.17) <= 0.4)
    ]
    # A card running out of the picture: a large straight-edged region on one or two edges, no
    # longer than a card (a lit stripe of wood grain across the table is far longer). eval: cut
    # cards cover 20-45 % at aspect 1.3-2.8; grain stripes 5-7 % at aspect 10+.
    cut = [c for c in cands if c[4] in (1, 2) and c[2] >= 0.8 and 0.10 <= c[1] <= 0.85 and c[3] <= 4.0]
    m["card_candidates"] = len(cands)
    # A second card: any other whole, straight-edged bright region near the first card's size (its
    # outline may be rounder under perspective, so the aspect test is looser).
    second = [
        c for c in cands
        if cards and c is not cards[0] and c[4] == 0 and c[2] >= 0.8 and c[1] >= 0.4 * cards[0][1]
        and abs(c[3] - cfg.card_aspect) <= 2 * tol
    ]
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

    clipped = (inner.min(axis=2) >= 248).astype(np.uint8)
    clipped = cv2.morphologyEx(clipped, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(clipped, connectivity=8)
    largest = float(stats[1:, cv2.CC_STAT_AREA].max()) if n > 1 else 0.0
    m["glare_share"] = round(largest / clipped.size, 4)
    if m["glare_share"] > cfg.card_glare_max_share:
        report.add("glare")
    watch.lap("measure")

    # Which side: the portrait side carries a face.
    face_img = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(quad_full, np.float32(
        [[0, 0], [RECT_W - 1, 0], [RECT_W - 1, RECT_H - 1], [0, RECT_H - 1]])), (RECT_W, RECT_H))
    faces = far_faces(face_img, cfg)
    if not faces:  # the card may lie upside down
        faces = far_faces(face_img[::-1, ::-1].copy(), cfg)
    m["card_faces"] = len(faces)
    has_face = bool(faces)
    if (side == "front") != has_face:
        report.add("wrong_side")
    watch.lap("side")
