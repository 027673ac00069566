"""Anything uploaded gets a problem code, never an exception, and never a huge memory bill."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sscard.photos import PhotoConfig, check_id_card, check_portrait
from sscard.photos.decode import decode
from sscard.photos.messages import DECODE_CODES
from tests.support.photo_evalset import encode


def _jpeg(w=64, h=48, mode="RGB", **kw) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (w, h), "white" if mode != "CMYK" else (0, 0, 0, 0)).save(buf, "JPEG", **kw)
    return buf.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(side: int = 20000) -> bytes:
    """A few kilobytes that inflate to side*side grey pixels."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * side
    body = b"".join(comp.compress(row) for _ in range(200)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def jpeg_claiming(w: int, h: int) -> bytes:
    """A real small JPEG whose frame header is patched to claim w x h."""
    data = bytearray(_jpeg(16, 16))
    i = data.index(b"\xff\xc0")
    data[i + 5 : i + 9] = struct.pack(">HH", h, w)
    return bytes(data)


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 40), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def png16() -> bytes:
    a = (np.arange(400 * 300, dtype=np.uint16).reshape(300, 400) * 7) % 65535
    buf = io.BytesIO()
    Image.fromarray(a.astype(np.uint16)).save(buf, "PNG")
    return buf.getvalue()


FUZZ = {
    "empty": (b"", {"not_an_image"}),
    "random bytes": (os.urandom(5000), {"not_an_image"}),
    "text": (b"hello, this is not a photo" * 20, {"not_an_image"}),
    "pdf": (b"%PDF-1.4\n" + os.urandom(100), {"unsupported_format"}),
    "gif animated": (animated_gif(), {"unsupported_format"}),
    "png bomb": (png_bomb(), {"image_too_large"}),
    "header 20000x20000": (jpeg_claiming(20000, 20000), {"image_too_large"}),
    "truncated jpeg": (_jpeg(800, 600, quality=95)[:700], {"corrupt_image"}),
    "truncated png header": (png16()[:30], {"corrupt_image"}),
    "1x1": (_jpeg(1, 1), {"too_few_pixels"}),
}


@pytest.mark.parametrize("name", list(FUZZ))
def test_bad_uploads_get_a_code_not_an_exception(name):
    data, codes = FUZZ[name]
    for rep in (check_portrait(data), check_id_card(data, "front")):
        assert not rep.ok
        assert codes & set(rep.codes), (name, rep.codes)
        assert all(p.message and p.tip for p in rep.problems)


def test_file_too_large_is_refused_before_decoding():
    cfg = PhotoConfig(max_bytes=10_000)
    rep = check_portrait(_jpeg(2000, 2000, quality=100), cfg)
    assert rep.codes == ["file_too_large"]
    assert "decode" not in rep.timings


def test_cmyk_jpeg_and_16bit_png_decode_to_rgb():
    for data in (_jpeg(500, 400, mode="CMYK"), png16()):
        d = decode(data)
        assert d.rgb.dtype == np.uint8 and d.rgb.shape[2] == 3
    # 16-bit data keeps its range instead of clipping to white
    assert 20 < decode(png16()).rgb.mean() < 235


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied(orientation):
    img = np.zeros((60, 40, 3), np.float32)
    img[:15] = 255  # white band on top when upright
    d = decode(encode(img, "JPEG", 95, orientation))
    assert d.rgb.shape[:2] == (60, 40)
    assert (d.width, d.height) == (40, 60)
    assert d.rgb[:10].mean() > 200 and d.rgb[20:].mean() < 60


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_other_accepted_formats(fmt):
    img = np.full((80, 60, 3), 128, np.float32)
    d = decode(encode(img, fmt, 90))
    assert d.format == fmt and d.rgb.shape == (80, 60, 3)


def test_12mp_jpeg_is_decoded_reduced():
    buf = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(buf, "JPEG")
    d = decode(buf.getvalue())
    assert (d.width, d.height) == (4000, 3000)
    assert max(d.rgb.shape) <= 1024 and d.scale <= 0.26


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=0, max_size=3000), st.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF"]))
def test_random_bytes_never_raise(body, magic):
    rep = check_portrait(magic + body)
    assert not rep.ok
    assert set(rep.codes) <= set(DECODE_CODES) | {"too_few_pixels", "file_too_small", "no_face"}


def test_fuzz_stays_within_the_memory_bound(tmp_path: Path):
    """Run the nasty inputs in a fresh process and read its peak resident memory."""
    for name, (data, _) in FUZZ.items():
        (tmp_path / f"{name.replace(' ', '_')}.bin").write_bytes(data)
    big = io.BytesIO()
    Image.new("RGB", (7000, 7000), "white").save(big, "PNG", compress_level=1)  # 49 MP, legal, worst case
    (tmp_path / "png_49mp.bin").write_bytes(big.getvalue())
    code = (
        "import sys, pathlib\n"
        "from sscard.photos import check_portrait\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.bin')):\n"
        "    check_portrait(p.read_bytes())\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (big) pytest parent.
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    peak_mb = int(out.stdout.strip().splitlines()[-1])
    assert peak_mb <= 400, f"peak RSS {peak_mb} MB"
