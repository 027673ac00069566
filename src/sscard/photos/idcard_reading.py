"""Reading the words on an ID card: the engine interface, the default engine, and what a reading means.

The ID card check (``idcard``) hands over the card it found, straightened to the card's own shape, and
gets back what was read: from the portrait side (人像面) the name and number, from the emblem side
(国徽面) the validity period. The check uses it to refuse an expired card and to tell the sides apart;
the upload service compares the number with the applicant's. A card that cannot be read is never
refused for that alone: the reading is then empty and everything else goes on as without OCR.

The engine is behind ``CardReader`` so the bureau can plug in another one (``register_reader``, then
``SSCARD_ID_OCR=<name>``). The default is RapidOCR (``rapidocr-onnxruntime``): PP-OCR detection and
recognition models that ship inside its wheel, run by onnxruntime, so nothing is downloaded at run time.
Like the mediapipe models (``models``), the engine is built once per process, after a fork, and used
under a lock.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import cv2
import numpy as np

from . import idcard_text
from .messages import message_for
from .models import _Lazy
from .report import Problem

log = logging.getLogger("sscard.photos")

CHINA = ZoneInfo("Asia/Shanghai")
# Where the words are on a real card, as fractions of its width and height: the number and its label
# (front) and the issuing authority and validity (back) in the bottom band; the name top left, left of
# the photo. Reading these bands only, instead of the whole card, keeps OCR within the speed budget.
# The bottom band: the number (front, 0.80-0.87 of the height on a real card) and the validity (back,
# 0.80-0.86) with a margin for a card found a little off; the issuing authority above is not needed.
BOTTOM_BAND = (0.70, 0.96)
NAME_BOX = (0.03, 0.26, 0.03, 0.66)  # top, bottom, left, right
# The card's width handed to the engine: ~10 px/mm, what the detector needs for the card's smallest
# print (the labels, ~2.4 mm high); larger pictures are scaled down, smaller ones never up.
READ_WIDTH = 856


@dataclass(frozen=True)
class FrontReading:
    name: str | None
    id_number: str | None
    confidence: float  # the engine's mean score over the lines used, 0 when nothing was read
    lines: tuple[str, ...] = ()  # every line read, for the side decision


@dataclass(frozen=True)
class BackReading:
    valid_from: datetime.date | None
    valid_until: datetime.date | Literal["长期"] | None
    confidence: float = 0.0
    lines: tuple[str, ...] = ()


class CardReader(Protocol):
    """An OCR engine for the card, given as an RGB uint8 array straightened to the card (856x540 or
    smaller, long side horizontal, possibly upside down)."""

    name: str

    def read_front(self, card: np.ndarray) -> FrontReading: ...

    def read_back(self, card: np.ndarray) -> BackReading: ...


@dataclass
class CardReading:
    """What was read off one upload, as stored with it and shown to the reviewer."""

    engine: str
    side_asked: str
    side_read: str | None = None  # "front" | "back" | None: what the words say
    name: str | None = None
    id_number: str | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | Literal["长期"] | None = None
    confidence: float = 0.0
    error: str = ""  # the engine failed: the check goes on without a reading
    lines: tuple[str, ...] = field(default=(), repr=False)

    @property
    def read_anything(self) -> bool:
        return bool(self.name or self.id_number or self.valid_until)

    def expired(self, today: datetime.date) -> bool:
        return idcard_text.Validity(self.valid_from, self.valid_until).expired(today)

    def to_dict(self) -> dict[str, Any]:
        until = self.valid_until.isoformat() if isinstance(self.valid_until, datetime.date) else self.valid_until
        return {
            "engine": self.engine, "side_asked": self.side_asked, "side_read": self.side_read,
            "name": self.name, "id_number": self.id_number,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None, "valid_until": until,
            "confidence": round(self.confidence, 3), "error": self.error,
        }


def read_card(card: np.ndarray, side: str, reader: CardReader) -> CardReading:
    """Read the side that was asked for; never raises (an engine failure leaves the reading empty)."""
    reading = CardReading(engine=reader.name, side_asked=side)
    card = _for_reading(card)
    try:
        if side == "front":
            front = reader.read_front(card)
            reading.name, reading.id_number, reading.confidence = front.name, front.id_number, front.confidence
            reading.lines = front.lines
        else:
            back = reader.read_back(card)
            reading.valid_from, reading.valid_until = back.valid_from, back.valid_until
            reading.confidence, reading.lines = back.confidence, back.lines
    except Exception as exc:  # an engine must not cost the citizen the upload
        log.exception("id_ocr_failed engine=%s", reader.name)
        reading.error = type(exc).__name__
        return reading
    reading.side_read = idcard_text.side_of(reading.lines)
    return reading


def _for_reading(card: np.ndarray) -> np.ndarray:
    w = card.shape[1]
    if w <= READ_WIDTH:
        return np.ascontiguousarray(card)
    k = READ_WIDTH / w
    return cv2.resize(card, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)


def today_in_china() -> datetime.date:
    return datetime.datetime.now(CHINA).date()


def expired_problem(reading: CardReading) -> Problem:
    """``id_card_expired`` with the end date read off the card in its message."""
    _, tip = message_for("id_card_expired", "id_card")
    until = reading.valid_until
    assert isinstance(until, datetime.date)
    message = f"身份证已过有效期（有效期至{idcard_text.chinese_date(until)}），请使用有效的身份证。"
    return Problem("id_card_expired", message, tip)


# --- the default engine: RapidOCR ------------------------------------------------------------------


def _make_rapidocr() -> Any:
    # Imported only when the engine is built, in the worker after the fork (as the mediapipe models).
    from rapidocr_onnxruntime import RapidOCR

    # One thread per session: a check runs in one process per core (models.setup_process). The detector
    # scales the longer side to at most 480 px (its default scales the shorter side UP to 736, many
    # times the work on a card band; at 480 the card's 2.4 mm labels are still 13 px high); the bands are
    # read upright or turned by the caller, so no angle classifier.
    # Lines are recognised one at a time: in a batch each is padded to the longest one's width, so a
    # short label costs as much as the 18-digit number.
    return RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, det_limit_side_len=480, det_limit_type="max", use_cls=False,
        rec_batch_num=1,
    )


_rapidocr = _Lazy(_make_rapidocr)


class RapidOCRReader:
    """Reads the bands of the card where the wanted words are; tries the card turned round when the
    upright reading finds none of the side's words (a card photographed upside down).

    Detection and recognition are called apart (RapidOCR's ``text_det`` and ``text_rec``, the two steps
    its ``__call__`` runs) so that only the lines that matter are recognised, which is most of the cost:
    in the bottom band the widest line first (the number on the front, the validity on the back: the
    others only when it is not), in the name box the top row (the label and the name)."""

    name = "rapidocr"

    def _detect(self, region: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The text lines in a region: their boxes (top to bottom, then left to right) and upright crops."""
        engine = _rapidocr.get()
        region = np.ascontiguousarray(region)
        with _rapidocr.lock:
            img, _ = engine.maybe_add_letterbox(region, {})  # (a very flat or low band gets a margin)
            boxes, _ = engine.text_det(img)
            if boxes is None or not len(boxes):
                return [], []
            boxes = engine.sorted_boxes(boxes)
            return boxes, engine.get_crop_img_list(img, boxes)

    def _recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        engine = _rapidocr.get()
        with _rapidocr.lock:
            result, _ = engine.text_rec(crops)
        # (RapidOCR's own cut-off for a line, as its __call__ applies it)
        return [(str(r[0]), float(r[1])) for r in result if float(r[1]) >= engine.text_score]

    def _bottom(self, card: np.ndarray, found: Callable[[list[str]], bool]) -> tuple[np.ndarray, list]:
        """The bottom band's lines and the card the right way up (upright first, then turned round)."""
        h = card.shape[0]
        lines: list = []
        for turned in (card, np.ascontiguousarray(card[::-1, ::-1])):
            _, crops = self._detect(turned[int(h * BOTTOM_BAND[0]) : int(h * BOTTOM_BAND[1])])
            widest_first = sorted(crops, key=lambda c: -c.shape[1])
            lines = self._recognise(widest_first[:1])
            if not found([t for t, _ in lines]):
                lines += self._recognise(widest_first[1:])
            if found([t for t, _ in lines]):
                return turned, lines
        return card, lines

    def _name_lines(self, region: np.ndarray) -> list[tuple[str, float]]:
        """The name box's lines: its top row (姓名 and the name), the rows below only when that row
        gives no name."""
        boxes, crops = self._detect(region)
        if not boxes:
            return []
        top, bottom = float(boxes[0][:, 1].min()), float(boxes[0][:, 1].max())
        in_row = [top <= float(b[:, 1].mean()) <= bottom for b in boxes]
        row = sorted((i for i, r in enumerate(in_row) if r), key=lambda i: float(boxes[i][:, 0].min()))
        lines = self._recognise([crops[i] for i in row])
        if idcard_text.find_name([t for t, _ in lines]) is None:
            lines += self._recognise([c for c, r in zip(crops, in_row, strict=True) if not r])
        return lines

    def read_front(self, card: np.ndarray) -> FrontReading:
        upright, lines = self._bottom(
            card, lambda ts: idcard_text.find_id_number(ts) is not None or idcard_text.side_of(ts) is not None
        )
        texts = [t for t, _ in lines]
        number = idcard_text.find_id_number(texts)
        name = None
        if number is not None or idcard_text.side_of(texts) == "front":
            h, w = upright.shape[:2]
            top, bottom, left, right = NAME_BOX
            name_lines = self._name_lines(upright[int(h * top) : int(h * bottom), int(w * left) : int(w * right)])
            name = idcard_text.find_name([t for t, _ in name_lines])
            lines = [*name_lines, *lines]
        used = [s for _, s in lines]
        return FrontReading(name, number, float(np.mean(used)) if used else 0.0, tuple(t for t, _ in lines))

    def read_back(self, card: np.ndarray) -> BackReading:
        _, lines = self._bottom(
            card, lambda ts: idcard_text.find_validity(ts) is not None or idcard_text.side_of(ts) is not None
        )
        texts = [t for t, _ in lines]
        validity = idcard_text.find_validity(texts)
        used = [s for _, s in lines]
        conf = float(np.mean(used)) if used else 0.0
        if validity is None:
            return BackReading(None, None, conf, tuple(texts))
        return BackReading(validity.valid_from, validity.valid_until, conf, tuple(texts))


# --- choosing the engine ---------------------------------------------------------------------------

READERS: dict[str, Callable[[], CardReader]] = {"rapidocr": RapidOCRReader}


def register_reader(name: str, factory: Callable[[], CardReader]) -> None:
    """Make another engine available as ``SSCARD_ID_OCR=<name>``."""
    READERS[name] = factory


def reader_named(name: str) -> CardReader | None:
    """The engine for a setting value; None for "off". An unknown name is a configuration error."""
    if name == "off":
        return None
    try:
        return READERS[name]()
    except KeyError:
        raise ValueError(f"SSCARD_ID_OCR={name!r}: not one of off, {', '.join(sorted(READERS))}") from None


def default_reader() -> CardReader | None:
    """The engine chosen by ``SSCARD_ID_OCR`` (read in ``sscard.config``)."""
    from sscard import config  # only when an engine is wanted: the checks themselves read no environment

    return reader_named(config.ID_OCR)


def warm_up() -> None:
    """Build the default engine now (call in each worker after fork, e.g. gunicorn post_fork)."""
    reader = default_reader()
    if reader is not None:
        blank = np.full((540, 856, 3), 230, np.uint8)
        read_card(blank, "back", reader)
