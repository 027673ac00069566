"""Run in a spawned process by the PostgreSQL race test (see tests/concurrency.py).

Imports inside the function: a spawned child imports this module before Django is set up.
"""

from __future__ import annotations


def run_import(db_name, path, barrier, queue):
    from tests.concurrency import _setup

    _setup(db_name)
    from pathlib import Path

    from django.utils import timezone

    from sscard.logistics import fileformat
    from sscard.logistics.services import import_rows

    rows, errors = fileformat.parse(Path(path).read_bytes(), tz=timezone.get_current_timezone(), now=timezone.now())
    barrier.wait(timeout=60)
    queue.put(import_rows(rows, errors=errors, actor="race"))
