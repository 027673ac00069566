"""Test set-up shared by every test folder.

Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set (``.ci/run`` does both).
Settings come from ``sscard.settings_test``. Tasks run through Django's immediate backend: a task enqueued from ``on_commit`` runs when the
test's ``django_capture_on_commit_callbacks(execute=True)`` block ends, never silently later.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionfinish(session, exitstatus):
    from django.conf import settings

    # settings_test.py made this folder for this run alone (secrets, media).
    var_dir = Path(settings.VAR_DIR)
    media = Path(settings.MEDIA_ROOT)
    leftovers = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    if "sscard-test-var-" in var_dir.name:
        shutil.rmtree(var_dir, ignore_errors=True)
    if leftovers and exitstatus == 0:
        # STYLE.md: a test that leaves files in media storage is a bug (a leak of uploads).
        session.exitstatus = 1
        print(f"\nFAILED: tests left {len(leftovers)} file(s) in media storage, e.g. {leftovers[0]}")


@pytest.fixture
def postgres_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (.ci/run does this for its second pass)")
