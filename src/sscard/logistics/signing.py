"""Signing of the courier's status webhook (pure: no Django), docs/logistics.md.

    signature = hex(HMAC-SHA256(secret, TIMESTAMP + "." + BODY))

TIMESTAMP is unix seconds, sent in ``X-Courier-Timestamp`` and within ±``MAX_CLOCK_SKEW`` of our clock; BODY
is the exact bytes sent. The signature goes in ``X-Courier-Signature``. A signature is accepted once: the
view remembers it for longer than a timestamp stays valid, so a captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import re

HEADER_TIMESTAMP = "X-Courier-Timestamp"
HEADER_SIGNATURE = "X-Courier-Signature"
MAX_CLOCK_SKEW = 300
SEEN_TTL = 2 * MAX_CLOCK_SKEW + 60
SIGNATURE_RE = re.compile(r"[0-9a-f]{64}")
TIMESTAMP_RE = re.compile(r"[0-9]{1,12}")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def check(secret: str, timestamp: str, signature: str, body: bytes, now: float) -> str:
    """"" when the request is authentic and fresh, otherwise the error code (``bad_signature``, ``stale_timestamp``)."""
    if not TIMESTAMP_RE.fullmatch(timestamp or "") or not SIGNATURE_RE.fullmatch(signature or ""):
        return "bad_signature"
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return "bad_signature"
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
        return "stale_timestamp"
    return ""


def headers(secret: str, timestamp: str, body: bytes) -> dict[str, str]:
    """The two headers a sender adds (used by tests and by a courier's integration sample)."""
    return {HEADER_TIMESTAMP: timestamp, HEADER_SIGNATURE: sign(secret, timestamp, body)}
