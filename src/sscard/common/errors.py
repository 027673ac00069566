"""A refusal that a person reads: what each domain's services raise instead of saving bad input."""

from __future__ import annotations


class Refusal(Exception):
    """``code`` is stable (the API returns it, partners branch on it), ``message`` is Chinese, and
    ``errors`` maps a form field to a Chinese message shown beside it."""

    def __init__(self, code: str, message: str, *, errors: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}
