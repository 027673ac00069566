"""Request signing for the channel API (pure: no Django, shared by the server and ``client``).

A partner signs every request with its secret::

    canonical = METHOD \\n PATH \\n QUERY \\n TIMESTAMP \\n NONCE \\n sha256hex(BODY) [\\n USER_PHONE]
    signature = hex(HMAC-SHA256(secret, canonical))

- METHOD is upper case (``POST``); PATH is the URL path as the server sees it (``/api/v1/towns``);
- QUERY is the raw query string with its ``&``-separated parts sorted (byte order), empty when
  there is none. Parts are compared as sent, still percent-encoded, so neither side has to agree
  on how to re-encode anything;
- TIMESTAMP is unix seconds, within ±300 s of the server's clock; NONCE is 16–64 characters
  from ``[A-Za-z0-9_-]``, used once per app id;
- BODY is the exact bytes sent (a JSON text, a multipart envelope, or nothing);
- USER_PHONE, only when the request acts for a user: the ``X-Sscard-User-Phone`` value exactly as
  sent. Signing it means nobody between the partner and us can swap the user of a signed request.

The headers are ``X-Sscard-App-Id``, ``X-Sscard-Timestamp``, ``X-Sscard-Nonce`` and
``X-Sscard-Signature``. The single-use check of the nonce needs state shared by every server process
(``sscard.common.sharedstore``: Redis or the database) and lives in ``sscard.api.auth``; everything
else is here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

HEADER_APP_ID = "X-Sscard-App-Id"
HEADER_TIMESTAMP = "X-Sscard-Timestamp"
HEADER_NONCE = "X-Sscard-Nonce"
HEADER_SIGNATURE = "X-Sscard-Signature"
HEADER_USER_PHONE = "X-Sscard-User-Phone"

MAX_CLOCK_SKEW = 300  # seconds either side of the server's clock
NONCE_TTL = 600  # a nonce is remembered this long: longer than the whole window a timestamp is valid
NONCE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
APP_ID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
SIGNATURE_RE = re.compile(r"[0-9a-f]{64}")


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_query(query: str) -> str:
    """The query string with its parts sorted; a leading ``?`` and empty parts are dropped."""
    parts = [p for p in query.lstrip("?").split("&") if p]
    return "&".join(sorted(parts))


def canonical_string(
    method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes, user_phone: str = ""
) -> str:
    lines = [method.upper(), path, canonical_query(query), timestamp, nonce, body_hash(body)]
    return "\n".join([*lines, user_phone] if user_phone else lines)


def sign(
    secret: str, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes, user_phone: str = ""
) -> str:
    message = canonical_string(method, path, query, timestamp, nonce, body, user_phone)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(24)  # 32 characters from the allowed alphabet


def signed_headers(
    app_id: str,
    secret: str,
    method: str,
    path: str,
    query: str = "",
    body: bytes = b"",
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
    user_phone: str = "",
) -> dict[str, str]:
    """The signing headers for one request (and the user header, signed, when acting for a user)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or new_nonce()
    headers = {
        HEADER_APP_ID: app_id,
        HEADER_TIMESTAMP: ts,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sign(secret, method, path, query, ts, nonce, body, user_phone),
    }
    if user_phone:
        headers[HEADER_USER_PHONE] = user_phone
    return headers


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: ``reason`` is a stable code for logs and the API's error body."""

    reason: str


def check_format(app_id: str, timestamp: str, nonce: str, signature: str) -> Refusal | None:
    """Header syntax, before anything is looked up."""
    if not (app_id and timestamp and nonce and signature):
        return Refusal("missing_headers")
    if not APP_ID_RE.fullmatch(app_id):
        return Refusal("unknown_app")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return Refusal("bad_timestamp")
    if not NONCE_RE.fullmatch(nonce):
        return Refusal("bad_nonce")
    if not SIGNATURE_RE.fullmatch(signature.lower()):
        return Refusal("bad_signature")
    return None


def check_timestamp(timestamp: str, *, now: float | None = None, max_skew: int = MAX_CLOCK_SKEW) -> Refusal | None:
    now = time.time() if now is None else now
    if abs(int(timestamp) - now) > max_skew:
        return Refusal("expired_timestamp")
    return None


def check_signature(
    secret: str, signature: str, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes,
    user_phone: str = "",
) -> Refusal | None:
    expected = sign(secret, method, path, query, timestamp, nonce, body, user_phone)
    # Constant-time: the comparison must not tell an attacker how many leading characters were right.
    if not hmac.compare_digest(expected, signature.lower()):
        return Refusal("bad_signature")
    return None
