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
    "run-all": ("sscard.cli", "run_all"),
    "env-example": ("sscard.cli", "env_example"),
    "check-photo": ("sscard.photos.cli", "check_photo_main"),
    "card-photo": ("sscard.photos.cli", "card_photo_main"),
}

# Project verbs that are another name for a Django command. (``sscard worker`` is our own command: the
# library's db_worker plus a heartbeat, so that a dead worker's task goes back to the queue.)
ALIASES: dict[str, str] = {}


def serve_argv(argv: list[str]) -> list[str]:
    """gunicorn's command line for ``sscard serve``.

    It listens on SSCARD_BIND (127.0.0.1 unless told otherwise: the demo's code inbox must not be reachable
    from the network), and its control socket (gunicorn 25.1+) is this instance's own, in the var folder and
    named by port: gunicorn's default is one path per user, shared by every instance on the machine.
    """
    control = config.VAR_DIR / "run" / f"gunicorn-{config.PORT}.ctl"
    # A Unix socket path is limited to 107 bytes; without one, gunicornc cannot reach this instance.
    control_args = ["--control-socket", str(control)] if len(os.fsencode(control)) < 100 else ["--no-control-socket"]
    host = config.BIND_HOST
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return [
        sys.executable, "-m", "gunicorn", "sscard.wsgi:application",
        "--config", "python:sscard.gunicorn_conf",
        "--bind", f"{host}:{config.PORT}", "--workers", str(config.WEB_WORKERS),
        *control_args,
        "--access-logfile", "-", "--timeout", "60", "--graceful-timeout", "20", *argv,
    ]


def serve(argv: list[str]) -> int:
    """Production web server: gunicorn with WEB_WORKERS processes on SSCARD_BIND:PORT (models load after fork)."""
    os.execv(sys.executable, serve_argv(argv))
    return 0  # pragma: no cover - execv does not return


def run_all(argv: list[str]) -> int:
    """``sscard run-all``: web server, task worker and scheduler under one supervisor (``make run``)."""
    from sscard import supervisor  # only this verb needs it

    return supervisor.main(argv)


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
        if isinstance(exc.code, str):  # a start-up refusal (sscard.config): say it, do not exit silently
            return _refuse(exc.code, "")
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:
        problem = startup_problem(exc)
        if problem is None:
            raise
        return _refuse(*problem)
    return 0


def startup_problem(exc: BaseException) -> tuple[str, str] | None:
    """(what is wrong, what to fix) for a configuration mistake met while starting; None for anything else."""
    # Django is imported only once a Django command runs (the pure verbs above start without it).
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0].rstrip("。.")  # we end it ourselves
    if type(exc).__name__ == "UnknownSchemeError" or (isinstance(exc, ValueError) and "DATABASE_URL" in str(exc)):
        return (f"DATABASE_URL 无法识别（cannot be parsed）：{detail}。",
                "请检查 DATABASE_URL，例如 postgres://用户@主机：5432/库名；留空则使用 SQLite。")
    if isinstance(exc, ImproperlyConfigured):
        return (f"配置有误（improperly configured）：{detail}。",
                "请按提示修正对应的环境变量（见 .env.example），或安装缺少的组件。")
    if isinstance(exc, OperationalError):
        return (f"无法连接数据库（database unavailable）：{detail}。",
                "请确认 DATABASE_URL 指向的数据库已启动并可访问，或修正 DATABASE_URL。")
    if isinstance(exc, OSError) and exc.filename and str(exc.filename).startswith(str(config.VAR_DIR)):
        return (f"无法使用数据目录 {config.VAR_DIR}（var folder unusable）：{exc.strerror or detail}。",
                "请把 SSCARD_VAR_DIR 设为当前用户可写的文件夹。")
    return None


def _refuse(what: str, fix: str) -> int:
    sys.stderr.write(f"sscard 无法启动（cannot start）：{what}{(' ' + fix) if fix else ''}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
