"""Safe decoding of uploaded pictures.

Order matters: size of the bytes first, then the real type from the magic bytes, then the
dimensions from the header, and only then pixels — at reduced size when the check allows
(JPEG draft mode decodes at 1/2, 1/4 or 1/8 scale straight from the DCT coefficients).
Anything wrong becomes a problem code, never an exception.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, replace

import numpy as np
import pillow_heif
from PIL import Image

from .config import DEFAULT_CONFIG, PhotoConfig

ACCEPTED = ("JPEG", "PNG", "WEBP", "HEIF")

_heif_lock = threading.Lock()
_heif_registered = False


class DecodeError(Exception):
    """Carries the problem code for an upload we cannot (or will not) decode."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Decoded:
    rgb: np.ndarray  # HxWx3 uint8, orientation applied, possibly reduced
    format: str  # JPEG | PNG | WEBP | HEIF
    width: int  # full-size dimensions after EXIF orientation
    height: int
    scale: float  # rgb pixels per full-size pixel (<= 1)
    file_bytes: int
    mode: str  # the file's own colour mode


def sniff(data: bytes) -> str | None:
    """The real format from the magic bytes, or a name for a known-but-refused format, or None."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIF"
        if brand in (b"avif", b"avis"):
            return "AVIF"
        return "MP4"  # a video or another ISO-BMFF file
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:2] == b"BM":
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:4] == b"%PDF":
        return "PDF"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:4] in (b"\x00\x00\x01\x00",):
        return "ICO"
    return None


def _register_heif() -> None:
    global _heif_registered
    with _heif_lock:
        if not _heif_registered:
            # Registered on the first HEIF upload only: Pillow then tries no extra opener for the rest.
            pillow_heif.register_heif_opener()
            _heif_registered = True


def _to_rgb(im: Image.Image) -> Image.Image:
    """Any Pillow mode to 8-bit RGB; transparency is laid on white (a cut-out on white paper)."""
    if im.mode == "RGB":
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        a = np.asarray(im, dtype=np.float32)
        hi = float(a.max()) if a.size else 0.0
        # 16-bit data uses the top byte; 32-bit/float whatever range it has.
        div = 257.0 if hi > 255 and im.mode.startswith("I;16") else (hi / 255.0 if hi > 255 else 1.0)
        g = np.clip(a / max(div, 1e-6), 0, 255).astype(np.uint8)
        return Image.fromarray(g, "L").convert("RGB")
    if im.mode in ("RGBA", "LA", "PA", "P", "La", "RGBa") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")


def probe(data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG) -> tuple[Image.Image, str]:
    """Open lazily and check everything that needs no pixels. Raises DecodeError."""
    if len(data) > cfg.max_bytes:
        raise DecodeError("file_too_large", f"{len(data)} bytes")
    if len(data) == 0:
        raise DecodeError("not_an_image", "empty file")
    fmt = sniff(data)
    if fmt is None:
        raise DecodeError("not_an_image", "unknown magic bytes")
    if fmt not in ACCEPTED:
        raise DecodeError("unsupported_format", fmt)
    if fmt == "HEIF":
        _register_heif()
    try:
        # Our own pixel limit (below) is lower than Pillow's bomb limit, so Pillow's warning can
        # only fire for pictures we refuse anyway. (warnings.catch_warnings is not thread-safe.)
        im = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as e:
        raise DecodeError("image_too_large", str(e)) from None
    except Exception as e:
        raise DecodeError("corrupt_image", f"{type(e).__name__}: {e}") from None
    w, h = im.size
    if w <= 0 or h <= 0:
        raise DecodeError("corrupt_image", "zero size")
    if w * h > cfg.max_pixels:
        raise DecodeError("image_too_large", f"{w}x{h}")
    return im, fmt


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


def decode(
    data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG, *, min_side: int | None = None, max_side: int | None = None
) -> Decoded:
    """Decode for analysis: reduced size (long side within [min_side, max_side] when the file is
    larger), EXIF orientation applied, RGB uint8. ``min_side=0`` means full size. Raises DecodeError."""
    min_side = cfg.analysis_min_side if min_side is None else min_side
    max_side = cfg.analysis_max_side if max_side is None else max_side
    im, fmt = probe(data, cfg)
    full_w, full_h = im.size
    mode = im.mode
    orientation = _orientation(im)
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        if fmt == "JPEG" and min_side and max(full_w, full_h) > min_side:
            k = min_side / max(full_w, full_h)
            # draft() picks the largest DCT scale (1/2, 1/4, 1/8) still at least this size.
            im.draft("RGB" if mode != "CMYK" else "CMYK", (max(1, int(full_w * k)), max(1, int(full_h * k))))
        im.load()
        if max_side and max(im.size) > max_side:
            # reduce() is a cheap box filter by an integer factor; thumbnail finishes the job.
            factor = int(max(im.size) // max_side)
            if factor >= 2 and im.mode in ("RGB", "RGBA", "L", "LA", "CMYK", "I;16", "I", "F"):
                im = im.reduce(factor)
        im = _to_rgb(im)
        if max_side and max(im.size) > max_side:
            im.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=None)
        if orientation != 1:
            im = _apply_orientation(im, orientation)
        rgb = np.ascontiguousarray(np.asarray(im, dtype=np.uint8))
    except DecodeError:
        raise
    except (Image.DecompressionBombError, MemoryError) as e:
        raise DecodeError("image_too_large", str(e)) from None
    except Exception as e:
        raise DecodeError("corrupt_image", f"{type(e).__name__}: {e}") from None
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise DecodeError("corrupt_image", f"unexpected shape {rgb.shape}")
    if orientation in (5, 6, 7, 8):
        full_w, full_h = full_h, full_w
    scale = rgb.shape[1] / full_w
    return Decoded(rgb, fmt, full_w, full_h, scale, len(data), mode)


def decode_for(
    report, data: bytes, cfg: PhotoConfig = DEFAULT_CONFIG, *, source: Decoded | None = None, **sizes
) -> Decoded | None:
    """Decode for a check (``sizes`` as ``decode``): the picture, or None with the refusal added to the
    report as its problem. Records the file's size and dimensions in the report's metrics.

    ``source``: ``data`` already decoded by the caller (an upload decodes once, for its stored copy);
    the check's copy is then made from it, within ``max_side``, instead of decoding the file again."""
    report.metrics["file_bytes"] = len(data)
    try:
        if source is None:
            img = decode(data, cfg, **sizes)
        else:
            img = rescale(source, sizes.get("max_side", cfg.analysis_max_side))
    except DecodeError as e:
        report.add(e.code)
        return None
    report.metrics.update(width=img.width, height=img.height, format=img.format)
    return img


def rescale(source: Decoded, max_side: int) -> Decoded:
    """``source`` with its long side at most ``max_side``, shrunk with the same filters as ``decode``."""
    if not max_side or max(source.rgb.shape[:2]) <= max_side:
        return source
    im = Image.fromarray(source.rgb)
    factor = int(max(im.size) // max_side)
    if factor >= 2:
        im = im.reduce(factor)
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=None)
    rgb = np.ascontiguousarray(np.asarray(im, dtype=np.uint8))
    return replace(source, rgb=rgb, scale=rgb.shape[1] / source.width)


_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


def _apply_orientation(im: Image.Image, orientation: int) -> Image.Image:
    for op in _TRANSPOSE.get(orientation, ()):
        im = im.transpose(op)
    return im
