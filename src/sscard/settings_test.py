"""Settings for the test suite: the real settings, with a throw-away var/ folder and fast hashing.

The var/ folder must be chosen before ``sscard.config`` is imported, which is why this is a
settings module and not a fixture: every test run gets its own secrets and media storage, and
never touches the developer's demo database.
"""

import os
import tempfile

os.environ.setdefault("SSCARD_VAR_DIR", tempfile.mkdtemp(prefix="sscard-test-var-"))

from sscard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Static files are served from the source folders in tests (no collectstatic run).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not Django's shared-cache memory database: the browser tests' live server answers several
    # requests at once (a page's three images), and shared-cache SQLite fails such concurrent writers at
    # once ("database table is locked") where a file database waits for its lock (OPTIONS timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
