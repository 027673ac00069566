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
pytest_plugins = ["tests.support.logaudit"]  # the run fails if any log line shows an ID or mobile number in clear


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


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(request):
    """``client.force_login(user)`` in a test means a complete staff sign-in: password and second factor.

    Staff pages require a session verified by django-otp; this marks a force-login session verified with a
    TOTP device of the user's. The real two-step sign-in is tested in tests/staff/ (through the views,
    whose requests are never bare ``HttpRequest``s, so this shortcut never applies to them).
    """
    # Imported here: conftest is loaded before pytest-django has set Django up.
    from django.contrib.auth.signals import user_logged_in
    from django.http import HttpRequest
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def verify(sender, request, user, **kwargs):
        if type(request) is not HttpRequest:  # a real request: the sign-in view does the second factor
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="测试设备", confirmed=True
        )
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verify, dispatch_uid="tests.force_login_second_factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.force_login_second_factor")
