"""Demo upload pictures: a portrait and both sides of an ID card for a demo person, made so that
the project's own photo checks pass them. No Django.

The face is Grace Hopper's official US Navy portrait (a work of the US government, public domain),
which matplotlib ships as sample data; matplotlib is already installed as a dependency of mediapipe,
so the demo needs no download and no extra package. In that photo she wears a uniform cap, which the
portrait check rightly refuses (``head_covering``), so the cap is replaced: short grey hair is drawn
over a dome fitted to her head with the face-mesh landmarks (its colour taken from the grey hair at
her temples), bare forehead skin is painted where the brim covered it (its colour from the forehead
just below the brim, its fine detail mirrored from there), and the rest of the cap becomes wall. The
face, eyes, brows and ears are hers, untouched. Her uniform is dark, as the card photo rules want.
The background is replaced with a white wall using the project's own person segmentation
(``photos.models.person_mask``), and the picture is framed the way the portrait check expects.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from sscard.photos import Report, check_id_card, check_portrait, models
from sscard.photos.analysis import (
    CHEEK_L,
    CHEEK_R,
    CHIN,
    FOREHEAD_TOP,
    L_BROW,
    L_IRIS,
    NOSE_TIP,
    R_BROW,
    R_IRIS,
    far_faces,
    mesh_for,
)

from .idcard_drawing import CARD_H, CARD_W, draw_back, draw_front
from .people import DemoPerson

DEMO_ADDRESS = "中山市石岐街道幸福小区5栋3单元602"
WHITE_WALL = (250.0, 250.0, 250.0)  # a white wall, below the 255 a camera clips at
BLUE_WALL = (110.0, 160.0, 225.0)  # the blue backdrop of some photo studios: the check refuses it
PORTRAIT_WIDTH = 720  # px; with JPEG quality 90 the file stays above the 100 KB the rules ask for
FACE_SHARE = 0.55  # face width / picture width (the check accepts 0.30 and up; the card photo wants ~0.6)
CAP_DARK = 60  # OpenCV Lab lightness below which a pixel is the navy cap, not grey hair or skin
HAIRLINE_ABOVE_MESH = 0.11  # the drawn hairline's middle above the mesh's forehead top, in face widths
HAIR_MAX_CHROMA = 22.0  # OpenCV Lab chroma: grey hair under the photo's warm light, not skin
TOP_MARGIN = 0.06  # wall above the head, share of the picture's height


@dataclass(frozen=True)
class DemoPhoto:
    filename: str
    kind: str  # "portrait" | "id_front" | "id_back"
    data: bytes
    report: Report


def source_face() -> np.ndarray:
    """The public-domain portrait, HxWx3 uint8 RGB."""
    from matplotlib import cbook  # only here: the rest of the project never needs matplotlib

    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        return np.ascontiguousarray(np.asarray(im.convert("RGB")))


def _jpeg(rgb: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _smoothstep(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _brim_line(lightness: np.ndarray, lm: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per column, the first row below the cap: scanning up from above the brows (above the
    glasses' rims) or from the temples beside them, the first run of cap-dark pixels. Columns
    that disagree with their neighbours (a shadow in the hair) are dropped, the rest smoothed."""
    h, w = lightness.shape
    fw = float(np.linalg.norm(lm[CHEEK_L, :2] - lm[CHEEK_R, :2]))
    brow_top = float(lm[R_BROW + L_BROW, 1].min())
    row = mask[int(brow_top) - int(0.15 * fw)] > 0.5
    xs_person = np.flatnonzero(row)
    x_lo, x_hi = int(xs_person.min()) + 2, int(xs_person.max()) - 2
    xs, ys = [], []
    for x in range(x_lo, x_hi + 1):
        inner = lm[CHEEK_R, 0] + 0.05 * fw < x < lm[CHEEK_L, 0] - 0.05 * fw
        y = int(brow_top - 4 if inner else lm[127, 1])
        while y > 3 and not (lightness[y - 3 : y + 1, x] < CAP_DARK).all():
            y -= 1
        xs.append(x)
        ys.append(y)
    xs, ys = np.array(xs), np.array(ys, np.float32)
    med = np.array([np.median(ys[max(0, i - 6) : i + 7]) for i in range(len(ys))])
    keep = np.abs(ys - med) <= 6
    line = np.interp(np.arange(w), xs[keep], ys[keep]).astype(np.float32)
    return cv2.GaussianBlur(line[None], (0, 0), 3)[0] + 2  # +2: the brim's soft lower edge


def _hair_texture(shape, centre, rng) -> np.ndarray:
    """Unit-variance texture of short, soft hair seen from the front: strands smeared along lines
    radiating from ``centre`` (brushed up and back) with a slow swirl, over soft curl-sized blobs."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    swirl = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 12)
    swirl *= 0.5 / max(float(swirl.std()), 1e-6)
    angle = (np.arctan2(yy - centre[1], xx - centre[0]) + swirl) % np.pi
    bins = 18
    q = np.round(angle / np.pi * bins).astype(int) % bins
    out = np.zeros((h, w), np.float32)
    for length, weight in ((11, 1.0), (5, 0.7)):
        noise = rng.standard_normal((h, w)).astype(np.float32)
        layer = np.zeros((h, w), np.float32)
        for b in range(bins):
            sel = q == b
            if not sel.any():
                continue
            a = b * np.pi / bins
            k = np.zeros((length, length), np.float32)
            c = (length - 1) / 2
            for t in np.linspace(-c, c, length * 4):
                k[int(round(c + t * np.sin(a))), int(round(c + t * np.cos(a)))] = 1
            layer[sel] = cv2.filter2D(noise, -1, k / k.sum(), borderType=cv2.BORDER_REFLECT)[sel]
        out += weight * layer / max(float(layer.std()), 1e-6)
    curls = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 3.5)
    out += 1.1 * curls / max(float(curls.std()), 1e-6)
    return out / max(float(out.std()), 1e-6)


def _bare_head(rgb: np.ndarray, lm: np.ndarray, mask: np.ndarray, wall, rng) -> tuple[np.ndarray, np.ndarray]:
    """The person on ``wall`` with the uniform cap replaced: short grey hair drawn over a dome fitted
    to the head, forehead skin where the brim covered it, wall elsewhere. Returns the picture (float32
    RGB) and the new person mask."""
    h, w = rgb.shape[:2]
    src = rgb.astype(np.float32)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lightness = lab[..., 0].astype(np.float32)
    colour = np.array(wall, np.float32)
    fw = float(np.linalg.norm(lm[CHEEK_L, :2] - lm[CHEEK_R, :2]))
    cx = float((lm[R_IRIS, 0] + lm[L_IRIS, 0]) / 2)
    brow_y = float(lm[R_BROW + L_BROW, 1].mean())
    top = float(lm[FOREHEAD_TOP, 1])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)

    brim = _brim_line(lightness, lm, mask)
    # 1 where the cap was (above the brim), fading over 3 px into the picture below
    cap = _smoothstep((brim[None, :] - yy) / 3 + 0.5)

    # The dome: an ellipse through the outer edges of the grey hair visible below the brim at the
    # temples, its top where a head's crown is (a head is about 1.55 face widths from chin to crown).
    side_y = int(max(brim[int(lm[CHEEK_R, 0])], brim[int(lm[CHEEK_L, 0])]) + 6)
    xs = np.flatnonzero(mask[side_y] > 0.5)
    xl, xr = float(xs.min()), float(xs.max())
    dcx, a = (xl + xr) / 2, (xr - xl) / 2 + 1
    crown = float(lm[CHIN, 1]) - 1.55 * fw
    b = side_y - crown
    ang = np.arctan2(yy - side_y, xx - dcx)
    wobble = np.zeros_like(ang)
    for f, amp in ((5, 1.2), (11, 0.8), (23, 0.5)):  # an uneven outline, not a drawn ellipse
        wobble += amp * np.sin(f * ang + rng.uniform(0, 2 * np.pi))
    r = np.sqrt(((xx - dcx) / a) ** 2 + (np.minimum(yy - side_y, 0) / b) ** 2)
    dist_out = (r - 1) * min(a, b) - wobble  # px outside the dome (negative inside)
    dome = _smoothstep(0.5 - dist_out / 3.0)

    # Forehead: inside an arc from temple to temple whose middle is above the mesh's top.
    hl_y = top - HAIRLINE_ABOVE_MESH * fw
    ah, bh = 0.42 * fw, brow_y - hl_y
    rh = np.sqrt(((xx - cx) / ah) ** 2 + (np.minimum(yy - brow_y, 0) / bh) ** 2)
    fringe = rng.standard_normal((h, w)).astype(np.float32)
    fringe = cv2.GaussianBlur(fringe, (0, 0), 1.0) * 2.0
    forehead = _smoothstep(((1 - rh) * bh + fringe) / 6 + 0.5)

    # Skin: per column, the forehead's colour a little below the brim's shadow, smoothed along the row,
    # slightly lighter upwards (the forehead turns towards the light); its fine detail (pores, the
    # lines of an old forehead) is the real forehead's, mirrored back and forth from below the brim.
    band = [(int(brim[x]) + 8, int(brim[x]) + 16) for x in range(w)]
    skin_row = np.array([src[y0:y1, x].mean(axis=0) for x, (y0, y1) in enumerate(band)], np.float32)
    inner = (xx[0] > cx - 0.3 * fw) & (xx[0] < cx + 0.3 * fw)
    skin_row[~inner] = skin_row[inner].mean(axis=0)  # beyond the middle: the middle's colour
    skin_row = cv2.GaussianBlur(skin_row[None], (0, 0), 6)[0]
    lift = 1 + 0.04 * _smoothstep((brim[None, :] - yy) / (0.15 * fw))
    detail = src - cv2.GaussianBlur(src, (0, 0), 3)
    t = np.abs(brim[None, :] - yy)
    period = 14.0
    from_y = brim[None, :] + 6 + period - np.abs(t % (2 * period) - period)
    detail = cv2.remap(detail, xx, from_y.astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    skin = skin_row[None, :, :] * lift[..., None] + detail

    # Hair: the grey at her temples (the lit, colourless strands, not the skin between them), in
    # strands, darker towards the dome's edge and at the roots.
    temples = (mask > 0.7) & (yy > brim[None, :] + 3) & (yy < brim[None, :] + 40)
    temples &= (np.abs(xx - cx) > 0.42 * fw) & (np.abs(xx - cx) < a)
    chroma = np.hypot(lab[..., 1].astype(np.float32) - 128, lab[..., 2].astype(np.float32) - 128)
    # (warm like the rest of the photo: bluish pixels there are the flag showing through)
    temples &= (chroma < HAIR_MAX_CHROMA) & (lab[..., 2] >= 130)
    px = lightness[temples]
    lit = px >= np.percentile(px, 75)
    hair_rgb = np.median(src[temples][lit], axis=0)
    hair_rgb = 0.6 * hair_rgb + 0.4 * hair_rgb.mean()  # greyer: the warm light also tints the skin under the strands
    spread = float(np.std(px[lit]))
    strands = _hair_texture((h, w), (cx, float(lm[NOSE_TIP, 1])), rng)
    # lit from above and in front like her face: lighter on top, darker round the edge and at the roots
    shade = 1.04 - 0.16 * np.clip(r, 0, 1.2) ** 4 - 0.08 * _smoothstep((yy - (hl_y - 0.05 * fw)) / (0.1 * fw))
    hair = hair_rgb[None, None, :] * shade[..., None] + (strands * spread * 0.6)[..., None]

    head = skin * forehead[..., None] + hair * (1 - forehead[..., None])
    alpha = np.maximum(dome, forehead)
    # below the brim the original forehead fades in over its shadow
    shadow = _smoothstep((brim[None, :] + 8 - yy) / 8) * (1 - cap) * forehead
    # The segmentation takes bits of the flag behind her for hair beside the head: between the brim
    # and the chin, nothing farther out than the dome (plus the ears' room) is her.
    # Below the dome that is the face outline plus room for the ears and the hair behind them.
    hull = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(lm[:, :2].astype(np.int32)), 1)
    room = int(0.12 * fw) * 2 + 1
    near = cv2.dilate(hull, np.ones((1, room), np.uint8)) > 0
    head_rows = (yy >= side_y) & (yy < lm[CHIN, 1] - 0.2 * fw)  # down to the jaw, above the collar
    bluish = (lab[..., 2] < 124) & (hull == 0)
    beside = ((yy < side_y) & (np.abs(xx - dcx) > a + 0.06 * fw)) | (head_rows & (~near | bluish))
    keep = cv2.GaussianBlur((~beside).astype(np.float32), (0, 0), 1.0)
    person_soft = np.clip((mask - 0.5) * 2.5 + 0.5, 0, 1) * keep
    orig = src * person_soft[..., None] + colour * (1 - person_soft[..., None])
    orig = orig * (1 - shadow[..., None]) + skin * shadow[..., None]
    out = orig * (1 - cap[..., None]) + (head * alpha[..., None] + colour * (1 - alpha[..., None])) * cap[..., None]
    new_mask = person_soft * (1 - cap) + alpha * cap
    return out, new_mask


def portrait_rgb(seed: int = 442000, wall: tuple[float, float, float] = WHITE_WALL) -> np.ndarray:
    """The person on a plain wall (white unless asked), framed like a passport-style photo, 3:4, uint8 RGB."""
    rgb = source_face()
    h, w = rgb.shape[:2]
    boxes = far_faces(rgb)
    lm = mesh_for(rgb, boxes[0]) if boxes else None
    if lm is None:  # the models did not load or changed: say so rather than write a bad picture
        raise RuntimeError("the face models found no face in the demo source picture")
    rng = np.random.default_rng(seed)
    person, mask = _bare_head(rgb, lm, models.person_mask(rgb), wall, rng)
    mask = mask[..., None]
    colour = np.array(wall, np.float32)

    face_w = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))  # cheek to cheek
    eye_x = float((lm[468, 0] + lm[473, 0]) / 2)  # between the irises
    cols = mask[:, int(eye_x - face_w * 0.35) : int(eye_x + face_w * 0.35), 0] > 0.5
    rows = np.flatnonzero(cols.mean(axis=1) >= 0.2)
    head_top = float(rows[0]) if rows.size else 0.0
    W = round(face_w / FACE_SHARE)
    H = round(W * 4 / 3)
    x0, y0 = round(eye_x - W / 2), round(head_top - TOP_MARGIN * H)
    out = np.empty((H, W, 3), np.float32)
    out[:] = colour
    sx0, sx1, sy0, sy1 = max(0, x0), min(w, x0 + W), max(0, y0), min(h, y0 + H)
    out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = person[sy0:sy1, sx0:sx1]
    if y0 + H > h:  # below the source the clothes go on
        out[sy1 - y0 :, sx0 - x0 : sx1 - x0] = person[h - 1, sx0:sx1][None]
    k = PORTRAIT_WIDTH / W
    out = cv2.resize(out, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC)
    # A little sensor noise, as in every phone picture (a perfectly clean file compresses below 100 KB).
    noise = rng.standard_normal(out.shape).astype(np.float32) * 1.5
    return np.clip(out + noise, 0, 255).astype(np.uint8)


def _on_table(card: np.ndarray, seed: int) -> np.ndarray:
    """The card photographed flat on a dark desk, slightly turned, all four corners in view."""
    rng = np.random.default_rng(seed)
    W, H = 2000, 1500
    scene = np.full((H, W, 3), 58.0, np.float32) + rng.normal(0, 3, (H, W, 1)).astype(np.float32)
    cw = W * 0.62
    hw, hh = cw / 2, cw / 2 / (CARD_W / CARD_H)
    a = np.deg2rad(3.0)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]], np.float32)
    quad = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32) @ rot + [W / 2, H / 2]
    src = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    M = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(card.astype(np.float32), M, (W, H), flags=cv2.INTER_CUBIC)
    inside = cv2.warpPerspective(np.ones((CARD_H, CARD_W), np.float32), M, (W, H))[..., None]
    img = scene * (1 - inside) + warped * inside
    return img + rng.normal(0, 2, img.shape).astype(np.float32)


def portrait_jpeg(wall: tuple[float, float, float] = WHITE_WALL) -> bytes:
    """The demo portrait as the JPEG a phone would upload (on ``BLUE_WALL``: one the check refuses)."""
    return _jpeg(portrait_rgb(wall=wall), 90)


def make_demo_photos(person: DemoPerson, address: str = DEMO_ADDRESS) -> list[DemoPhoto]:
    """The three uploads for ``person``, each with the project's own verdict on it."""
    face = portrait_rgb()
    portrait = _jpeg(face, 90)
    front = _jpeg(_on_table(draw_front(person.name, person.id_number, address, face), seed=1), 90)
    back = _jpeg(_on_table(draw_back(), seed=2), 90)
    return [
        DemoPhoto("id_front.jpg", "id_front", front, check_id_card(front, "front")),
        DemoPhoto("id_back.jpg", "id_back", back, check_id_card(back, "back")),
        DemoPhoto("portrait.jpg", "portrait", portrait, check_portrait(portrait)),
    ]
