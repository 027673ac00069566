"""Sorting transport failures into "nothing was sent" and "we cannot know" (shared by the SDK plugins)."""

from __future__ import annotations

from sscard.notifications.providers.base import ErrorKind

# Messages of errors raised before the request reached the provider: the SMS was certainly not sent.
_NOT_SENT_MARKERS = (
    "Connection refused",
    "NewConnectionError",
    "ConnectTimeout",
    "connect timeout",
    "Name or service not known",
    "nodename nor servname",
    "Failed to resolve",
    "No route to host",
)


def transport_error_kind(message: str) -> tuple[ErrorKind, str]:
    if any(marker in message for marker in _NOT_SENT_MARKERS):
        return ErrorKind.TEMPORARY, "unreachable"
    # A read timeout or a reset after the request left: the provider may have accepted it.
    return ErrorKind.UNKNOWN, "no_answer"


def split_endpoint(endpoint: str) -> tuple[str, str]:
    """``http://127.0.0.1:8080`` → (``http``, ``127.0.0.1:8080``); a bare host means https."""
    scheme, sep, host = endpoint.partition("://")
    if not sep:
        return "https", endpoint.rstrip("/")
    return scheme, host.rstrip("/")
