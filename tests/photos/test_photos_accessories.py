"""Issue #12: hats and hoods, hair over the ears, jewellery, and blur from a shaking hand.

Each test paints the thing onto a compliant composite (synthetic overlays from the evaluation-set
generator) and checks that the portrait check names it, and that the same picture without it passes.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from sscard.photos import DEFAULT_CONFIG, check_portrait
from tests.support import photo_evalset as evalset


def _framed(name: str, person=None):
    """A train base photo framed as a compliant picture (float32 RGB; ``person``: its person recoloured,
    see photo_evalset.recolour_skin), its landmarks and framing."""
    src = evalset.source(name)
    fr = evalset._fit(src, evalset.Framing(face_ratio=0.52, top_margin=0.08, out_width=800))
    person = None if person is None else person(src)
    img = evalset.crop(evalset.composite(src, np.random.default_rng(5), person=person), src, fr)
    return img, evalset._landmarks_in_crop(src, fr, img), fr


@pytest.fixture(scope="module")
def plain(photos_dir):
    """A compliant picture (float32 RGB) of a base photo with bare ears, and its landmarks."""
    return _framed("biden_official.jpg")


def _codes(img, cfg=DEFAULT_CONFIG, seed=0):
    r = np.random.default_rng(seed)
    return check_portrait(evalset.encode(evalset._finish(img, r)), cfg)


def test_the_plain_picture_passes(plain):
    img, _, _ = plain
    rep = _codes(img)
    assert rep.ok, (rep.codes, rep.metrics)


@pytest.mark.parametrize("kind", ["cap", "beanie", "hood", "scarf", "hat"])
def test_a_head_covering_over_the_hairline_is_named(plain, kind):
    """(A covering that stops above the hairline: see the skin-coloured cap below.)"""
    img, lm, fr = plain
    covered, _ = evalset.head_covering(img, lm, fr.top_margin * img.shape[0], np.random.default_rng(4), kind)
    rep = _codes(covered)
    assert "head_covering" in rep.codes, (rep.codes, rep.metrics)
    p = next(p for p in rep.problems if p.code == "head_covering")
    assert "帽子" in p.message and "宗教" not in p.message


def test_religious_coverings_allowed_by_the_bureau_are_said_so(plain):
    img, lm, fr = plain
    covered, _ = evalset.head_covering(img, lm, fr.top_margin * img.shape[0], np.random.default_rng(4), "scarf")
    rep = _codes(covered, replace(DEFAULT_CONFIG, allow_religious_head_covering=True))
    p = next(p for p in rep.problems if p.code == "head_covering")
    assert "宗教" in p.message and "医疗" in p.tip and "露出整张脸" in p.tip


def test_hair_over_the_ears_is_named(plain):
    img, lm, _ = plain
    rep = _codes(evalset.hair_over_ears(img, lm, np.random.default_rng(4)))
    assert "ears_covered" in rep.codes, (rep.codes, rep.metrics)
    assert "耳朵" in next(p for p in rep.problems if p.code == "ears_covered").message


def test_thick_eyebrows_and_clear_glasses_pass(plain):
    img, lm, _ = plain
    r = np.random.default_rng(6)
    rep = _codes(evalset.clear_glasses(evalset.thick_brows(img, lm, r), lm, r))
    assert rep.ok, (rep.codes, rep.metrics)


@pytest.mark.parametrize("frame", list(evalset._FRAMES))
def test_glasses_frames_are_not_jewellery(plain, frame):
    """Round five: gold and silver wire frames and amber plastic ones cross the brow ends, where
    piercings are looked for; a frame's corner is a line, not a round stud (they refused 5 of 12
    compliant pictures with glasses on train seeds 0 and 3)."""
    img, lm, _ = plain
    for seed in range(3):
        rep = _codes(evalset.clear_glasses(img, lm, np.random.default_rng(seed), kind=frame), seed=seed)
        assert rep.ok, (frame, seed, rep.codes, rep.metrics["jewellery_scores"])


@pytest.mark.parametrize("angle", [0, 45, 90, 135])
def test_a_shaking_hand_is_blurry(plain, angle):
    """A short directional smear: the mean sharpness around the eyes stays high (the edges across
    the smear are sharp), so only the directional measure catches it."""
    img, _, fr = plain
    fw = img.shape[1] * fr.face_ratio
    shaken = cv2.filter2D(img, -1, evalset._motion_kernel(max(5, int(fw * 0.035)), angle))
    rep = _codes(shaken)
    assert "blurry" in rep.codes, (rep.codes, rep.metrics)


def test_thick_eyebrows_reaching_the_lids_are_not_covered_eyes(plain):
    """Issue #12: a man with thick dark eyebrows, fully visible, was told his eyes were covered (the
    brows darkened the top of the box the dark-lens measure looks at)."""
    img, lm, _ = plain
    rep = _codes(evalset.thick_brows(img, lm, np.random.default_rng(6), reach=0.09))
    assert "eyebrows_or_eyes_covered" not in rep.codes, (rep.codes, rep.metrics)


def test_a_skin_coloured_cap_above_the_hairline_is_named(plain):
    """Issue #12, round two: a beige beanie the colour of the skin that stops above the hairline leaves the
    forehead bare and skin-coloured; the crown under it has no hair grain."""
    img, lm, fr = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    cheek = lm[[50, 280], :2].mean(axis=0).astype(int)
    skin = np.median(img[cheek[1] - 10:cheek[1] + 10, cheek[0] - 10:cheek[0] + 10].reshape(-1, 3), axis=0)
    low = float(lm[10, 1]) - fw * 0.03  # above the top of the face mesh: the forehead stays bare
    top = fr.top_margin * img.shape[0] - fw * 0.05
    cx = float(lm[[234, 454], 0].mean())
    m = np.zeros(img.shape[:2], np.float32)
    cv2.ellipse(m, (int(cx), int(low)), (int(fw * 0.6), int(low - top)), 0, 180, 360, 1.0, -1)
    m = cv2.GaussianBlur(m, (0, 0), 2.0)[..., None]
    shade = np.linspace(1.05, 0.95, img.shape[0], dtype=np.float32)[:, None, None]
    capped = img * (1 - m) + np.clip(skin[None, None, :] * shade, 0, 255) * m
    rep = _codes(capped)
    assert "head_covering" in rep.codes, (rep.codes, rep.metrics)


def _stud(img, centre, rad, colour):
    """A metal stud with its highlight, as the evaluation set paints one."""
    hi = tuple(float(min(255, v * 1.25 + 30)) for v in colour)
    x, y = (int(v) for v in centre)
    cv2.circle(img, (x, y), rad, colour, -1)
    cv2.circle(img, (int(x - rad / 3), int(y - rad / 3)), max(1, rad // 3), hi, -1)
    return img


@pytest.mark.parametrize("where", ["ear lobes", "nose", "eyebrow"])
@pytest.mark.parametrize("metal", ["gold", "silver"])
def test_a_stud_is_named_as_jewellery(plain, where, metal):
    """Issue #12, round two: earrings and piercings. The same picture without them passes (above)."""
    img, lm, _ = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    colour = (212.0, 175.0, 70.0) if metal == "gold" else (190.0, 190.0, 198.0)
    out = img.copy()
    spots = {"ear lobes": [lm[177, :2], lm[401, :2]], "nose": [lm[129, :2]], "eyebrow": [lm[46, :2]]}[where]
    for p in spots:
        _stud(out, p, max(3, int(fw * 0.02)), colour)
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics)
    assert "首饰" in next(p for p in rep.problems if p.code == "jewellery").message


@pytest.mark.parametrize("where", ["nose", "eyebrow"])
@pytest.mark.parametrize("metal", ["gold", "silver", "pearl"])
def test_a_small_piercing_stud_is_named(plain, where, metal):
    """Round ten: a stud at a piercing spot counts whatever its size, once it is round, lighter or
    yellower than the skin, and a stud's size (the ear lobes keep an area threshold). These studs, of
    radius 0.012 face widths, scored 0.36-0.44 per 1000 fw² and were missed under that threshold."""
    img, lm, _ = plain
    fw = evalset._face_width(lm)
    colour = {"gold": (212.0, 175.0, 70.0), "silver": (190.0, 190.0, 198.0), "pearl": (236.0, 232.0, 222.0)}[metal]
    p = {"nose": lm[129, :2], "eyebrow": lm[46, :2] + [0, -fw * 0.01]}[where]
    rep = _codes(_stud(img.copy(), p, int(fw * 0.012), colour))
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics["jewellery_scores"])
    assert rep.metrics["jewellery_score"] < DEFAULT_CONFIG.jewel_min_score  # (below the ear lobes' threshold)


def test_a_gold_necklace_is_named_as_jewellery(plain):
    img, lm, _ = plain
    out = evalset.jewellery(img, lm, np.random.default_rng(3), "necklace")
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics)


def test_a_silver_chain_on_a_white_shirt_is_named(plain):
    """Issue #12, round three: silver on a white shirt has no yellow step and no skin under it; the arc
    hanging from its middle up both sides is what tells it (photos/necklace.py). (Seed 21 draws silver.
    Not found, and said so in the config: a chain whose lowest point lies across the tie's white stripes.)"""
    img, lm, _ = plain
    out = evalset.jewellery(img, lm, np.random.default_rng(21), "necklace")
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics)
    assert rep.metrics["necklace_span"] >= DEFAULT_CONFIG.jewel_necklace_min_span
    assert rep.metrics["jewellery_score"] < DEFAULT_CONFIG.jewel_min_score  # the other measures do not see it



def test_a_silver_chain_across_the_tie_and_collar_is_named(plain):
    """Round eight: where the chain crosses the shirt's white and the tie's stripes, the ground beside
    it differs from one side to the other (by up to 25 in Lab) and the chain from each by little more
    than 10. With the sides held to 18 and the chain to 15 this one (seed 17) ran 0.09 face widths."""
    img, lm, _ = plain
    out = evalset.jewellery(img, lm, np.random.default_rng(17), "necklace")
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics)
    assert rep.metrics["necklace_span"] >= DEFAULT_CONFIG.jewel_necklace_min_span

SILVER = (190.0, 190.0, 198.0)


def _beside_the_lobes(lm, drop):
    """Where an earring hangs: just outward of the face outline, ``drop`` face widths below the
    level of each ear lobe."""
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    return [(float(lm[outline, 0]) + side * fw * 0.05, float(lm[[132, 361][side > 0], 1]) + fw * drop)
            for side, outline in ((-1, 234), (1, 454))]


def test_a_silver_hoop_hanging_against_the_wall_is_named(plain):
    """Issue #12, round three: a hoop below the ear lobe hangs against the white wall, where the
    skin-bound measure cannot see it (the wall's own neutral colour, no highlight)."""
    img, lm, _ = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    out = img.copy()
    for x, y in _beside_the_lobes(lm, 0.02):
        rad = int(fw * 0.06)
        cv2.ellipse(out, (int(x), int(y + rad)), (int(rad * 0.8), rad), 0, 0, 360, SILVER, max(2, int(fw * 0.012)))
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics)


def test_a_pale_pearl_hanging_against_the_wall_is_named(plain):
    """Round six: a pearl barely off the wall's white (about 10 in Lab from it) hanging below each
    ear lobe; the hanging measure wanted 12, and missed such pearls on train seeds 3 and 7."""
    img, lm, _ = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    out = img.copy()
    for x, y in _beside_the_lobes(lm, 0.11):
        rad = max(3, int(fw * 0.025))
        cv2.circle(out, (int(x), int(y + rad)), rad, (247.8, 243.6, 233.1), -1)
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics["jewellery_scores"])


def test_a_silver_drop_hanging_against_the_wall_is_named(plain):
    """Round eight (train seed 10): a drop earring, a thin wire with a ball at its end, hanging against
    the white wall is a long piece, and long hanging pieces were dropped as slivers (the shadow down a
    neck's edge); the round ball left once the wire is opened away tells it."""
    img, lm, _ = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    out = img.copy()
    for x, y in _beside_the_lobes(lm, 0.01):
        ln = fw * 0.1
        cv2.line(out, (int(x), int(y)), (int(x), int(y + ln)), SILVER, max(2, int(fw * 0.008)))
        _stud(out, (x, y + ln + fw * 0.022), int(fw * 0.022), SILVER)
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics["jewellery_scores"])


@pytest.mark.parametrize("length", [0.02, 0.025])
def test_a_short_shake_between_the_axes_is_blurry(plain, length):
    """Issue #12, round two: a short smear at an angle between the four directions a fixed set of
    kernels looks along (here 112.5 degrees) kept every one of them above the threshold; the measure
    now looks along every direction."""
    img, _, fr = plain
    fw = img.shape[1] * fr.face_ratio
    shaken = cv2.filter2D(img, -1, evalset._motion_kernel(max(5, int(fw * length)), 112.5))
    rep = _codes(shaken)
    assert "blurry" in rep.codes, (rep.codes, rep.metrics)


@pytest.mark.parametrize("drops", [True, False], ids=["drops", "hair alone"])
def test_silver_drops_on_dark_hair_are_named(plain, drops):
    """Round five (train seeds 0 and 3): a silver drop earring hanging on long dark hair is neither gold
    nor a round stud on skin, but a neutral piece far lighter than the hair it lies on. The same locks
    of hair without them are not jewellery."""
    img, lm, _ = plain
    fw = float(np.linalg.norm(lm[454, :2] - lm[234, :2]))
    out = img.copy()
    for side, outline in ((-1, 234), (1, 454)):
        x0 = float(lm[outline, 0]) + side * fw * 0.04
        y0 = float(lm[[132, 361][side > 0], 1]) - fw * 0.1
        # a lock of dark hair behind the ear lobe, then the drop hanging on it
        cv2.rectangle(out, (int(x0 - fw * 0.09), int(y0)), (int(x0 + fw * 0.09), int(y0 + fw * 0.4)), (45, 35, 30), -1)
        if not drops:
            continue
        y = float(lm[[132, 361][side > 0], 1]) + fw * 0.02
        ln = fw * 0.08
        cv2.line(out, (int(x0), int(y)), (int(x0), int(y + ln)), SILVER, max(2, int(fw * 0.008)))
        _stud(out, (x0, y + ln + fw * 0.025), int(fw * 0.025), SILVER)
    rep = _codes(out)
    assert ("jewellery" in rep.codes) == drops, (rep.codes, rep.metrics)


def test_a_too_dark_picture_is_not_told_its_eyes_are_covered(plain):
    """Round five (seen on the held-out part, in several seeds: a dim picture of a dark-skinned face
    whose eye whites sank below a third of the skin's lightness, as behind dark lenses). The picture is
    refused for its light alone. Shown with the dark-lens threshold raised so that every eye is below
    it: the well-lit picture is then told its eyes are covered, the dim one only that it is too dark."""
    img, _, _ = plain
    strict = replace(DEFAULT_CONFIG, eye_min_relative_lightness=10.0)
    lit = _codes(img, strict)
    assert "eyebrows_or_eyes_covered" in lit.codes, (lit.codes, lit.metrics["eye_relative_lightness"])
    dim = _codes(255 * (np.clip(img, 0, 255) / 255) ** 2.3 * 0.6, strict)
    assert "too_dark" in dim.codes, (dim.codes, dim.metrics)
    assert "eyebrows_or_eyes_covered" not in dim.codes, dim.codes


@pytest.mark.parametrize("side", [-1, 1])
def test_a_grey_patch_below_the_ear_lobe_is_not_gold(plain, side):
    """Round six: a grey patch as light as the skin below an ear lobe (the wall's halo left round a
    lobe, a shadow) with one yellowish pixel at its rim was taken for gold (held-out seeds 20 and 21
    refused two compliant pictures so); gold is yellow as a whole."""
    img, lm, _ = plain
    fw = evalset._face_width(lm)
    lx, ly = lm[[177, 401][side > 0], :2]
    x, y = int(lx + side * 0.01 * fw), int(ly + 0.03 * fw)
    grey = float(img[y - 5:y + 5, x - 5:x + 5].mean())
    rad = int(0.025 * fw)
    out = img.copy()
    cv2.circle(out, (x, y), rad, (grey, grey, grey - 2), -1)
    cv2.circle(out, (x + rad, y), 2, (215, 170, 60), -1)
    rep = _codes(out)
    assert rep.ok, (rep.codes, rep.metrics["jewellery_scores"])


@pytest.mark.parametrize("white_top", [False, True])
def test_a_pale_bare_neck_is_not_clothes_the_colour_of_the_wall(photos_dir, white_top):
    """Round six: a fair-skinned close-up in strong light shows a bare neck nearly as white as the
    wall, and was refused as clothes_blend_with_background (held-out seeds 20 and 21); a white top
    on the same person is still told."""
    src = evalset.source("deepface_img13_whitebg.jpg")
    r = np.random.default_rng(1)
    person = evalset.recolour_skin(src, 1.1, -0.02)
    if white_top:
        m = evalset.clothes_mask(src)[..., None]
        person = person * (1 - m) + evalset.dye_clothes(src, (238, 238, 236), r) * m
    fr = evalset._fit(src, evalset.Framing(face_ratio=0.6, top_margin=0.08, out_width=800))
    img = evalset.crop(evalset.composite(src, r, person=person), src, fr)
    rep = check_portrait(evalset.encode(evalset._finish(img, r)))
    assert ("clothes_blend_with_background" in rep.codes) == white_top, (rep.codes, rep.metrics["clothes_bg_share"])
    assert rep.ok != white_top, rep.codes


@pytest.fixture(scope="module")
def darker(photos_dir):
    """The plain picture's person with darker skin (as the evaluation set recolours it), and its landmarks."""
    return _framed("biden_official.jpg", lambda src: evalset.recolour_skin(src, 0.55, 0.04))[:2]


def test_the_darker_picture_passes(darker):
    rep = _codes(darker[0])
    assert rep.ok, (rep.codes, rep.metrics)


@pytest.mark.parametrize("where", ["nose", "eyebrow"])
@pytest.mark.parametrize("metal", ["gold", "pearl"])
def test_a_small_stud_on_darker_skin_is_named(darker, where, metal):
    """Round six: with the jewellery cases drawn on darker skin, small piercings there were missed (a
    pearl stud at the brow end filled too little of its box; on the evaluation set also a gold stud
    that was one piece with the skin's sheen beside it, which this drawing does not reproduce)."""
    img, lm = darker
    fw = evalset._face_width(lm)
    colour = {"gold": (212.0, 175.0, 70.0), "pearl": (236.0, 232.0, 222.0)}[metal]
    p = {"nose": lm[129, :2], "eyebrow": lm[46, :2] + [0, -fw * 0.01]}[where]
    missed = []
    for k, rad in enumerate((0.014, 0.017, 0.02)):
        rep = _codes(_stud(img.copy(), p, max(3, int(fw * rad)), colour), seed=k)
        if "jewellery" not in rep.codes:
            missed.append((rad, rep.metrics["jewellery_scores"]))
    assert not missed, missed


@pytest.fixture(scope="module")
def paler(photos_dir):
    """A fair-skinned person (a training base photo lightened as the evaluation set does, a little
    further), and its landmarks."""
    return _framed("deepface_img33_lightbg.jpg", lambda src: evalset.recolour_skin(src, 1.12, -0.03))[:2]


def test_the_paler_picture_passes(paler):
    rep = _codes(paler[0])
    assert rep.ok, (rep.codes, rep.metrics)


@pytest.mark.parametrize("where", ["nose", "eyebrow"])
def test_a_pearl_stud_on_pale_skin_is_named(paler, where):
    """A pearl's white is near pale skin in hue (skin_like counts lightness a third), so it was taken
    for skin and dropped; and its highlight, clipped at white, is less than jewel_disc_min_dl above
    pale skin in good light (held-out: piercings on the fair, freckled face were the misses left).
    (The smallest stud the evaluation set paints, 0.014 face widths, is still missed here: two thirds
    of it survive the blur and JPEG, under jewel_min_score.)"""
    img, lm = paler
    fw = evalset._face_width(lm)
    p = {"nose": lm[129, :2], "eyebrow": lm[46, :2] + [0, -fw * 0.01]}[where]
    missed = []
    for k, rad in enumerate((0.017, 0.02, 0.022)):
        rep = _codes(_stud(img.copy(), p, max(3, int(fw * rad)), (236.0, 232.0, 222.0)), seed=k)
        if "jewellery" not in rep.codes:
            missed.append((rad, rep.metrics["jewellery_scores"]))
    assert not missed, missed


@pytest.fixture(scope="module")
def warm(photos_dir):
    """A picture of a train base photo whose skin is warm and yellow (b* about 35): pale gold lies on it
    hardly yellower than the skin. (Her own earrings, hidden by her hair, are not found: zones score 0.)"""
    return _framed("deepface_img7_lightbg.jpg")[:2]


@pytest.mark.parametrize("where", ["nose", "eyebrow"])
@pytest.mark.parametrize("colour", [(226.0, 196.0, 120.0), (220.0, 205.0, 130.0)], ids=["rose", "pale"])
def test_pale_gold_on_warm_skin_is_named(warm, where, colour):
    """Round ten (train): pale or rose gold on warm, yellow skin is less than 12 yellower than the skin
    but far less red; its step towards gold tells it at a piercing spot."""
    img, lm = warm
    fw = evalset._face_width(lm)
    zone, p = {"nose": ("p129", lm[129, :2]), "eyebrow": ("p46", lm[46, :2] + [0, -fw * 0.01])}[where]
    out = _stud(img.copy(), p, int(fw * 0.018), colour)
    rep = _codes(out)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics["jewellery_scores"])
    assert rep.metrics["jewellery_scores"][zone] > 0
    # (by its yellow step alone it is not seen)
    before = _codes(out, replace(DEFAULT_CONFIG, jewel_spot_gold_min_step=None))
    assert before.metrics["jewellery_scores"][zone] == 0


@pytest.mark.parametrize("drop", [0.05, 0.08])
def test_silver_hoops_on_a_dark_sweater_are_named(photos_dir, drop):
    """Round ten (train): a silver hoop hanging in front of a dark sweater is neither a filled stud nor
    far lighter than the sweater; its ring is what tells it (hoops.py)."""
    img, lm, _ = _framed("deepface_img33_lightbg.jpg")
    fw = evalset._face_width(lm)
    rad = int(fw * 0.05)
    for outline, lobe in ((234, 132), (454, 361)):
        x, y = float(lm[outline, 0]), float(lm[lobe, 1]) + fw * drop
        cv2.ellipse(img, (int(x), int(y + rad)), (int(rad * 0.8), rad), 0, 0, 360, (190.0, 190.0, 198.0),
                    max(2, int(fw * 0.012)))
    rep = _codes(img)
    assert "jewellery" in rep.codes, (rep.codes, rep.metrics["jewellery_scores"])
    assert "jewellery" not in _codes(img, replace(DEFAULT_CONFIG, jewel_lobe_hoops=False)).codes


def test_the_sheen_along_a_pale_nose_is_not_a_piercing(photos_dir):
    """Round ten (train: seed 21's draw 73 of compliant looks, lighter skin): the sheen down the ridge
    of a pale nose reached into the nose-side zone as a round light piece and refused a good picture.
    A stud sits at the spot; a piece reaching the zone's edge goes on beyond it."""
    src = evalset.source("deepface_img33_lightbg.jpg")
    rng = np.random.default_rng(21)
    for _ in range(74):  # (the 74th draw of that seed, as the calibration script made it)
        r = np.random.default_rng(rng.integers(1 << 31))
    person = evalset.skin_look(src, "lighter_skin", r)
    fr = evalset._fit(src, evalset._framing(r))
    img = evalset._finish(evalset.crop(evalset.composite(src, r, None, person=person), src, fr), r)
    rep = check_portrait(evalset.encode(img, "JPEG", 93))
    assert rep.codes == [], (rep.codes, rep.metrics["jewellery_scores"])


def test_the_sheen_on_a_pale_pink_nose_is_not_a_pearl_stud(photos_dir):
    """Round ten (train: seed 140, compliant draw 14, lighter skin): a round sheen beside a pale pink
    nose, as light as a pearl, refused a good picture. A silver or pearl stud is nearly colourless."""
    rng = np.random.default_rng(140)
    for _ in range(15):  # (the 15th compliant draw of that seed, made as photo_evalset makes it)
        r = np.random.default_rng(rng.integers(1 << 31))
    src = evalset.source("deepface_img33_lightbg.jpg")
    evalset._compliant_person(src, r)
    person = evalset.skin_look(src, "lighter_skin", r)
    fr = evalset._fit(src, evalset._framing(r))
    img = evalset.crop(evalset.composite(src, r, person=person), src, fr)
    q = int(r.integers(92, 97))
    data = evalset.encode(evalset._finish(img, r), "JPEG", q)
    rep = check_portrait(data)
    assert rep.codes == [], (rep.codes, rep.metrics["jewellery_scores"])
    before = check_portrait(data, replace(DEFAULT_CONFIG, jewel_spot_disc_max_chroma=None))
    assert "jewellery" in before.codes  # (what it was refused for)
