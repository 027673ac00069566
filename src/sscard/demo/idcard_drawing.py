"""A drawn second-generation resident ID card (居民身份证) for demos: both sides, 856x540 px (10 px/mm).

A stand-in, not a likeness: the layout follows the real card (portrait side with name, sex, ethnicity,
birth date, address, number and photo; emblem side with the issuing authority and validity), the
national emblem is a plain placeholder, and a "样本" (specimen) mark says what it is. Plain Pillow
and numpy, no Django, so tests and benches can draw cards with it too.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CARD_W, CARD_H = 856, 540

# Fonts tried in order: a CJK font (Debian fonts-wqy-microhei, also what the browser tests need), then
# others commonly present. Without any, Pillow's built-in font draws the Latin parts only; the photo
# checks read shapes, not text, so the card still passes.
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
INK = (35, 35, 45)
LABEL = (60, 110, 160)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in CJK_FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _base(seed: int) -> Image.Image:
    """The card's pale printed background with a fine wave pattern (a real card is never flat)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    waves = 4 * np.sin(xx / 19 + 2.5 * np.sin(yy / 37)) * np.sin(yy / 13 + xx / 90)
    tint = np.array([218, 226, 232], np.float32) + rng.uniform(-3, 3, 3).astype(np.float32)
    img = tint + waves[..., None] * np.array([0.5, 0.8, 1.0], np.float32)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def _sex(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 else "女"


def _born(id_number: str) -> datetime.date:
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def draw_front(name: str, id_number: str, address: str, photo: np.ndarray, seed: int = 0) -> np.ndarray:
    """The portrait side (人像面). ``photo``: HxWx3 uint8 RGB head-and-shoulders picture."""
    img = _base(seed)
    d = ImageDraw.Draw(img)
    small, text, big = _font(24), _font(30), _font(38)
    born = _born(id_number)
    d.text((60, 52), "姓  名", fill=LABEL, font=small)
    d.text((160, 46), name, fill=INK, font=text)
    d.text((60, 112), "性  别", fill=LABEL, font=small)
    d.text((160, 106), _sex(id_number), fill=INK, font=text)
    d.text((260, 112), "民  族", fill=LABEL, font=small)
    d.text((360, 106), "汉", fill=INK, font=text)
    d.text((60, 172), "出  生", fill=LABEL, font=small)
    d.text((160, 166), f"{born.year}  年  {born.month}  月  {born.day}  日", fill=INK, font=text)
    d.text((60, 232), "住  址", fill=LABEL, font=small)
    for i in range(0, len(address), 11):  # the card wraps the address at about eleven characters
        d.text((160, 226 + i // 11 * 40), address[i : i + 11], fill=INK, font=text)
    d.text((60, 452), "公民身份号码", fill=LABEL, font=small)
    d.text((250, 444), id_number, fill=INK, font=big)
    # The photo sits on the card's light ground: its white wall would otherwise read as glare.
    ph = Image.fromarray(photo).resize((230, 290), Image.Resampling.LANCZOS)
    shade = np.asarray(ph).astype(np.float32) * (np.array([224, 230, 236], np.float32) / 255)
    img.paste(Image.fromarray(shade.astype(np.uint8)), (580, 70))
    d.text((640, 372), "样  本", fill=(190, 60, 60), font=text)
    return np.asarray(img)


def draw_back(authority: str = "中山市公安局", valid: str = "2020.06.01-2040.06.01", seed: int = 1) -> np.ndarray:
    """The emblem side (国徽面), with a plain red-and-gold placeholder where the emblem goes."""
    img = _base(seed)
    d = ImageDraw.Draw(img)
    cx, cy, r = 140, 140, 82
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(196, 32, 36))
    d.ellipse((cx - r + 12, cy - r + 12, cx + r - 12, cy + r - 12), outline=(236, 196, 64), width=5)
    d.regular_polygon((cx, cy - 8, 26), 5, fill=(236, 196, 64), rotation=180)
    for dx in (-38, -14, 14, 38):
        d.regular_polygon((cx + dx, cy + 30 - abs(dx) // 2, 9), 5, fill=(236, 196, 64), rotation=180)
    d.text((290, 90), "中华人民共和国", fill=INK, font=_font(46))
    d.text((290, 170), "居民身份证", fill=INK, font=_font(62))
    d.text((140, 380), "签发机关", fill=LABEL, font=_font(24))
    d.text((290, 374), authority, fill=INK, font=_font(30))
    d.text((140, 440), "有效期限", fill=LABEL, font=_font(24))
    d.text((290, 434), valid, fill=INK, font=_font(30))
    d.text((640, 300), "样  本", fill=(190, 60, 60), font=_font(30))
    return np.asarray(img)
