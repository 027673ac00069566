"""The one door every piece of demo data passes: shut in production.

Demo data means published passwords, fixed TOTP secrets, partners with published secrets and fake people
in the registry. None of it may reach a production database. Every management command in this app derives
from :class:`DemoCommand`, which refuses before it reads an option or touches the database; the functions
that create demo rows call :func:`refuse_in_production` themselves, for callers that are not commands.
``tests/demo/test_guard.py`` walks every command in ``sscard.demo`` and fails if one does not refuse.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DemoRefused(CommandError):
    """Raised in production; a ``CommandError``, so ``sscard`` prints it plainly and exits with 1."""


def refusal_message(what: str) -> str:
    return (
        f"{what} refused: demo data is never loaded in production (SSCARD_PRODUCTION=true); nothing was created. "
        f"{what} 已拒绝：生产模式（SSCARD_PRODUCTION=true）下不加载任何演示数据，未创建任何内容。"
    )


def refuse_in_production(what: str) -> None:
    """Raise :class:`DemoRefused` when the service runs in production mode."""
    if settings.SSCARD_PRODUCTION:
        raise DemoRefused(refusal_message(what))


class DemoCommand(BaseCommand):
    """Base of every demo command: the production refusal runs before the command's own code."""

    def run_from_argv(self, argv):
        # Django builds the parser outside its CommandError handler: refuse here first, printed the same way.
        try:
            refuse_in_production(f"`sscard {self._verb()}`")
        except DemoRefused as refused:
            self.stderr.write(f"{refused.__class__.__name__}: {refused}")
            sys.exit(refused.returncode)
        return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Before the arguments are read: production hears "refused", not "DIR is required".
        refuse_in_production(f"`sscard {self._verb()}`")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def execute(self, *args, **options):
        refuse_in_production(f"`sscard {self._verb()}`")
        return super().execute(*args, **options)

    def _verb(self) -> str:
        return self.__module__.rsplit(".", 1)[-1].replace("_", "-")
