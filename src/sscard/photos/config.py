"""Every threshold the photo checks use, in one place.

Each value says where it came from: the seed / the national card-photo spec ("spec"), or a
calibration on the generated evaluation set (``sscard.photos.evalset``, run ``bench/photo_eval.py``;
"eval" below quotes the observed ranges of compliant photos vs the defect cases, at seed 0).
Pixel figures measured on the analysis image are relative to the face width or image size, so they
do not depend on the upload's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhotoConfig:
    # ---- input limits (issue: "up to 20 MB and 50 megapixels (configurable)") -------------------
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    # Analysis resolution: JPEG draft picks the largest DCT scale whose result is at least this long
    # side, then we shrink to analysis_max_side. 640 keeps a 12 MP portrait's face >= 250 px wide
    # (enough for every check, see blur/texture below) while decoding 1/16 of the pixels.
    analysis_min_side: int = 640
    analysis_max_side: int = 1024

    # ---- portrait: seed rules ----------------------------------------------------------------
    min_width: int = 300  # seed: "at least 300x400 px"
    min_height: int = 400
    min_file_bytes: int = 100 * 1024  # seed: "not compressed below 100 KB"

    # ---- faces -----------------------------------------------------------------------------
    # mediapipe full-range detector score. eval: every face in the compliant set scores >= 0.74;
    # non-face negatives (cat, dogs, coffee) produce no detection at 0.5.
    face_min_score: float = 0.5
    # A second face counts when it is at least this fraction of the main face's width: a tiny face on
    # a poster far behind is still reported by the detector at < 0.2 (eval: two_people 0.8-1.0).
    second_face_min_ratio: float = 0.35
    # Face width (cheek to cheek, mesh points 234-454) as a fraction of image width. spec: the card
    # photo has 179-255 of 358 px = 0.50-0.71; eval: compliant uploads 0.42-0.66, "too small"
    # cases 0.10-0.24. 0.30 sits between with room for looser framing.
    face_min_width_ratio: float = 0.30
    # The card photo needs >= 179 px of face without upscaling more than ~1.5x. spec-derived.
    face_min_width_px: int = 120

    # ---- framing -----------------------------------------------------------------------------
    # Head cut at the top: share of the head's columns where the person mask reaches the first rows.
    # eval: compliant 0.00, crops through the hair 0.45-1.0.
    head_top_cut_share: float = 0.25
    # Chin below the last row minus this share of the face height counts as cut. eval: compliant
    # chins sit >= 0.25 face heights above the bottom; chin crops put it at or past the edge.
    chin_margin_ratio: float = 0.02
    # Eye midpoint off the vertical centre line, as a fraction of width. spec: 162-196 of 358 px
    # = 0.45-0.55; uploads are re-framed for the card, so allow 0.12 (eval: compliant <= 0.06,
    # off-centre cases >= 0.18).
    max_center_offset: float = 0.12

    # ---- pose ------------------------------------------------------------------------------
    # Roll: angle of the line through the irises. eval: compliant |roll| <= 4 deg (sources are
    # near-level), rotated cases 10-25 deg. ICAO 9303 photo guidance allows +-8 deg.
    max_roll_deg: float = 8.0
    # Yaw: nose-tip offset from the midpoint of the cheek outline, as a share of half the face width.
    # eval: compliant <= 0.16; the profile face (skimage camera) >= 0.6. ~0.30 is ~15-20 deg.
    max_yaw_ratio: float = 0.30

    # ---- background --------------------------------------------------------------------------
    # Background = person-mask probability below this, and farther than bg_margin_ratio x face width
    # from the person (hair halo of the 256 px mask model).
    bg_mask_max: float = 0.15
    bg_margin_ratio: float = 0.10
    # White: median L* (OpenCV 0-255 scale) and chroma. eval: compliant backgrounds L 236-255,
    # chroma <= 3; light grey cases L <= 215, blue/red/beige chroma >= 12.
    bg_min_lightness: float = 225.0
    bg_max_chroma: float = 8.0
    # Uniform: share of background pixels more than bg_deviation_de (CIE76 on OpenCV Lab) from the
    # background median. eval: compliant <= 1 %, shadows/objects/patterns >= 8 %.
    bg_deviation_de: float = 14.0
    bg_max_deviating_share: float = 0.04

    # ---- border ------------------------------------------------------------------------------
    # A border is an edge strip, >= border_min_ratio of the side thick, flat along its length
    # (std <= border_flat_std) and ending in a step >= border_step on >= border_step_share of the
    # line. Needs >= border_min_sides sides. eval: frames/padding of 1.5-8 % thickness found on all
    # four sides; compliant photos never show a flat strip followed by a step at the bottom edge.
    border_min_ratio: float = 0.008
    border_max_ratio: float = 0.20
    border_flat_std: float = 6.0
    border_step: float = 20.0
    border_step_share: float = 0.25
    border_min_sides: int = 3

    # ---- sharpness, exposure, colour ----------------------------------------------------------
    # Variance of the Laplacian over the face, with the face resized to texture_face_width px.
    # eval: compliant >= 120; Gaussian sigma >= 2 and motion blur >= 9 px fall below 60.
    texture_face_width: int = 256
    blur_min_laplacian_var: float = 60.0
    # Median L* of the face skin (OpenCV 0-255). eval: compliant 120-200; under-exposed cases <= 75.
    face_min_lightness: float = 85.0
    # Backlight: background much brighter than a face that is itself dimmer than normal.
    backlight_min_gap: float = 110.0
    backlight_face_max: float = 130.0
    # Over-exposure: median skin L* above this, or this share of skin pixels clipped (any channel
    # >= 250). eval: compliant <= 215 and <= 3 % clipped; over-exposed cases >= 230 / >= 30 %.
    face_max_lightness: float = 228.0
    face_max_clipped_share: float = 0.25
    # Greyscale: mean chroma over the whole picture. eval: colour photos >= 6; greyscale (also after
    # JPEG) <= 1.
    min_mean_chroma: float = 2.5

    # ---- clothes -----------------------------------------------------------------------------
    # Share of the chest area (below the chin, +-0.8 face width around the eyes' midline) whose
    # colour is within clothes_bg_de of the background. eval: dark/colour tops <= 10 %, white tops
    # >= 60 %.
    clothes_bg_de: float = 14.0
    clothes_max_bg_share: float = 0.45

    # ---- eyebrows and eyes -------------------------------------------------------------------
    # Forehead band just above the brows: share of pixels much darker than the cheek skin (hair).
    # eval: compliant <= 15 %; fringes over the brows >= 50 %.
    brow_band_max_dark_share: float = 0.40
    brow_dark_delta: float = 45.0
    # Eye boxes' median lightness relative to the skin. eval: bare eyes 0.55-0.9, dark glasses <= 0.3.
    eye_min_relative_lightness: float = 0.38

    # ---- beauty filter -----------------------------------------------------------------------
    # Skin texture (mean |Laplacian| on cheek/forehead patches) relative to the eye region's, on the
    # face resized to texture_face_width. A sharp photo with flat skin is filtered. eval: compliant
    # >= 0.22; bilateral/surface-blur on the skin <= 0.12. Needs a face at least texture_min_face_px
    # wide in the analysis image, else the measure is not taken.
    min_skin_texture_ratio: float = 0.16
    texture_min_face_px: int = 160

    # ---- ID card -----------------------------------------------------------------------------
    # ID card is 85.6 x 54 mm (GB/T 14916 / ISO 7810 ID-1), aspect 1.585.
    card_aspect: float = 1.585
    card_aspect_tolerance: float = 0.22
    card_min_area_share: float = 0.08
    # Corners must be this share of the image's short side inside the frame.
    card_corner_margin: float = 0.01
    # Text on a 2nd-generation ID card is ~2.5 mm; at 640 px across the card that is ~19 px — the
    # least a reviewer can read. eval: "too small" cases put the card at 250-500 px.
    card_min_width_px: int = 640
    # Laplacian variance on the card rectified to 856x540. eval: sharp cards >= 250, blurred <= 90.
    card_blur_min_laplacian_var: float = 140.0
    # Glare: the largest blob of clipped pixels (all channels >= 248) as a share of the card.
    # eval: clean cards <= 0.2 %; glare cases >= 2 %.
    card_glare_max_share: float = 0.008

    # ---- card photo (national spec for the card photo; DESIGN §3 and the issue) -----------------
    card_photo_width: int = 358
    card_photo_height: int = 441
    card_photo_min_bytes: int = 14 * 1024
    card_photo_max_bytes: int = 40 * 1024
    card_face_width_range: tuple[int, int] = (179, 255)
    card_eye_min_from_bottom: int = 207
    card_hair_top_range: tuple[int, int] = (7, 21)
    card_eye_x_range: tuple[int, int] = (162, 196)
    # Mask probability below which a pixel is background and painted pure white.
    card_bg_mask_max: float = 0.2


DEFAULT_CONFIG = PhotoConfig()
