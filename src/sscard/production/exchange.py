"""The exchange folder shared with the card maker (PRODUCTION_EXCHANGE_DIR; docs/production.md):

    to_maker/<batch>.zip             batches we export
    from_maker/<name>.csv            result files the maker writes (written beside and renamed, never half)
    from_maker/imported/<name>.csv   applied (or already applied) by the import job
    from_maker/rejected/<name>.csv   refused, with <name>.errors.json beside it naming every bad line
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings

from sscard.production.files import write_atomically
from sscard.production.services.results import import_results

log = logging.getLogger("sscard.production")


def root() -> Path:
    return Path(settings.PRODUCTION_EXCHANGE_DIR)


def to_maker() -> Path:
    return root() / "to_maker"


def from_maker() -> Path:
    return root() / "from_maker"


def result_written(stem: str) -> bool:
    """Whether a result file for the batch ``stem`` exists, waiting or already handled."""
    folder = from_maker()
    return any((folder / sub / f"{stem}.csv").exists() for sub in ("", "imported", "rejected"))


def import_waiting(*, actor: str = "system") -> dict:
    """Import every result file waiting in from_maker/ (oldest name first) through the same code as the
    command; move each to imported/ or rejected/. Safe to run again: an imported file changes nothing."""
    counts = {"files": 0, "applied": 0, "unchanged": 0, "rejected": 0}
    folder = from_maker()
    if not folder.is_dir():
        return counts
    for path in sorted(folder.glob("*.csv")):
        summary = import_results(path.read_bytes(), file_name=path.name, actor=actor)
        counts["files"] += 1
        counts["applied"] += summary.applied
        counts["unchanged"] += summary.unchanged
        target = folder / ("rejected" if summary.errors else "imported")
        target.mkdir(exist_ok=True)
        if summary.errors:
            counts["rejected"] += 1
            report = json.dumps(summary.as_json(), ensure_ascii=False, indent=1).encode()
            write_atomically(target / f"{path.stem}.errors.json", report)
            log.warning("result_file_rejected file=%s errors=%s", path.name, len(summary.errors))
        os.replace(path, target / path.name)
    return counts


def simulator_on() -> bool:
    return bool(settings.CARD_MAKER_SIMULATOR)
