"""The card-maker simulator for demo mode (CARD_MAKER_SIMULATOR): it plays the card maker on the exchange
folder — reads each exported batch from to_maker/ and writes its result file to from_maker/ — so the demo
shows cards being made without anyone acting. The import then runs through the same code as
``sscard production import-results``.

Deterministic: each application's outcome follows from a hash of the batch and the application number —
about 1 in 20 ``photo_unusable``, 1 in 10 ``data_error``, the rest ``ok`` with a card number and 卡识别码
from the same hash. A retry comes in another batch and so gets a fresh outcome.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import zipfile

from sscard.production import exchange
from sscard.production.constants import (
    MANIFEST_COLUMNS,
    REASON_DATA_ERROR,
    REASON_PHOTO_UNUSABLE,
    RESULT_COLUMNS,
    RESULT_FAILED,
    RESULT_OK,
)
from sscard.production.files import write_atomically

log = logging.getLogger("sscard.production")

BANKS = ("中国工商银行中山分行", "中国建设银行中山分行", "中国农业银行中山分行", "中国银行中山分行", "中山农商银行")
CARD_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def outcome(batch: str, application_number: str) -> dict[str, str]:
    """The simulated result row for one application in one batch."""
    digest = hashlib.sha256(f"{batch}:{application_number}".encode()).digest()
    n = int.from_bytes(digest[:8], "big")
    row = dict.fromkeys(RESULT_COLUMNS, "")
    row["application_number"] = application_number
    if n % 20 == 0:
        return row | {"result": RESULT_FAILED, "reason": REASON_PHOTO_UNUSABLE}
    if n % 10 == 1:
        return row | {"result": RESULT_FAILED, "reason": REASON_DATA_ERROR}
    # A letter and 8 characters from the hash: 26×36⁸ numbers, no collision in any demo.
    k = int.from_bytes(digest[8:16], "big")
    number = CARD_ALPHABET[10 + k % 26]
    k //= 26
    for _ in range(8):
        number += CARD_ALPHABET[k % 36]
        k //= 36
    return row | {"result": RESULT_OK, "card_number": number, "card_id": digest[16:32].hex().upper(),
                  "bank": BANKS[n % len(BANKS)]}


def result_file(batch: str, zip_bytes: bytes) -> bytes:
    """The result file the simulated card maker writes for one batch zip."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        manifest = archive.read("manifest.csv").decode("utf-8")
    reader = csv.DictReader(io.StringIO(manifest, newline=""))
    if tuple(reader.fieldnames or ()) != MANIFEST_COLUMNS:
        raise ValueError(f"batch {batch}: unexpected manifest header {reader.fieldnames}")
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in reader:
        writer.writerow(outcome(batch, row["application_number"]))
    return out.getvalue().encode("utf-8")


def simulate() -> dict:
    """Write a result file for every exported batch that has none yet (idempotent)."""
    counts = {"batches": 0, "rows": 0}
    folder = exchange.to_maker()
    if not folder.is_dir():
        return counts
    for path in sorted(folder.glob("*.zip")):
        if exchange.result_written(path.stem):
            continue
        data = result_file(path.stem, path.read_bytes())
        write_atomically(exchange.from_maker() / f"{path.stem}.csv", data)
        counts["batches"] += 1
        counts["rows"] += data.count(b"\n") - 1
        log.info("card_maker_simulated batch=%s", path.stem)
    return counts
