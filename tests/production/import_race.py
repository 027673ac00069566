"""Work run in spawned processes by the PostgreSQL import race (nothing from Django at module level)."""

from __future__ import annotations


def race_import(db_name, path, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from pathlib import Path

    from sscard.production.services.results import import_results

    data = Path(path).read_bytes()
    barrier.wait(timeout=60)
    summary = import_results(data, file_name=Path(path).name, actor=f"race:{Path(path).name}")
    queue.put(summary.as_json())
