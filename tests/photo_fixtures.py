"""Images made in code for upload tests (no personal data, nothing from ../shared committed)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def jpeg(width=640, height=480, color=(200, 200, 200), quality=90) -> bytes:
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 4, height // 4, width * 3 // 4, height * 3 // 4], fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
