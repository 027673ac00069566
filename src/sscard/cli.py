"""``sscard``: the project's front door. Wraps Django management with the project's own verbs.

    sscard migrate | serve | worker | check-id NUMBER... | import-registry FILE.csv | load-demo | …

A hyphenated verb maps to the management command with underscores (``check-id`` → ``check_id``).
The photo tools need no database and run without Django.
"""

from __future__ import annotations

import importlib
import os
import sys

from sscard import config

PURE_COMMANDS = {
    "check-id": ("sscard.identity.cli", "check_id_main"),
    "serve": ("sscard.cli", "serve"),
    "env-example": ("sscard.cli", "env_example"),
    "check-photo": ("sscard.photos.cli", "check_photo_main"),
    "card-photo": ("sscard.photos.cli", "card_photo_main"),
}

# Project verbs that are another name for a Django command.
ALIASES = {"worker": "db_worker"}


def serve(argv: list[str]) -> int:
    """Production web server: gunicorn with WEB_WORKERS processes on PORT (models load after fork)."""
    args = [
        sys.executable, "-m", "gunicorn", "sscard.wsgi:application",
        "--config", "python:sscard.gunicorn_conf",
        "--bind", f"0.0.0.0:{config.PORT}", "--workers", str(config.WEB_WORKERS),
        "--access-logfile", "-", "--timeout", "60", *argv,
    ]
    os.execv(sys.executable, args)
    return 0  # pragma: no cover - execv does not return


def env_example(argv: list[str]) -> int:
    """Print (or with --write, write) .env.example from the declarations in sscard.config."""
    text = config.env_example()
    if "--write" in argv:
        (config.BASE_DIR / ".env.example").write_text(text)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        module, func = PURE_COMMANDS[argv[0]]
        return getattr(importlib.import_module(module), func)(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    # Django loads only for Django commands (after the settings module is chosen): the pure verbs
    # above (check-id, check-photo, card-photo) run without it.
    from django.core.management import execute_from_command_line

    if argv and not argv[0].startswith("-"):
        argv[0] = ALIASES.get(argv[0], argv[0].replace("-", "_"))
    try:
        execute_from_command_line(["sscard", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
