"""The refusal every journey service raises."""

from __future__ import annotations

from sscard.common.errors import Refusal


class JourneyError(Refusal):
    """A refusal a citizen must read (see ``Refusal``), with the application it concerns when there is one."""

    def __init__(self, code: str, message: str, *, errors: dict | None = None, application=None):
        super().__init__(code, message, errors=errors)
        self.application = application
