"""Encryption of personal fields (pure; keys are passed in, not read from settings).

A ciphertext is ``<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. The key id travels with the
value, so keys can rotate: the first key in the ring encrypts, every key decrypts, and
``sscard rotate-keys`` rewrites old rows with the current key.

Look-ups cannot use the ciphertext (a fresh nonce each time), so each encrypted identifier has a
companion HMAC-SHA256 digest under a separate key: equal inputs give equal digests, which gives
uniqueness constraints and indexed look-ups without storing the value in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class KeyError_(Exception):
    """A ciphertext names a key the ring does not hold, or the keys are malformed."""


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        """``"k2:base64,k1:base64"`` → a ring whose first key encrypts."""
        keys = []
        for part in (p.strip() for p in spec.split(",") if p.strip()):
            key_id, sep, encoded = part.partition(":")
            if not sep or not key_id:
                raise KeyError_("each key must be written as 'id:base64key'")
            raw = base64.b64decode(encoded)
            if len(raw) != 32:
                raise KeyError_(f"key {key_id!r} must be 32 bytes (AES-256), got {len(raw)}")
            keys.append((key_id, raw))
        if not keys:
            raise KeyError_("no field encryption key configured")
        return cls(tuple(keys))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def encrypt(self, plaintext: str, associated: bytes = b"") -> str:
        key_id, key = self.keys[0]
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), associated or None)
        return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, associated: bytes = b"") -> str:
        key_id, _, encoded = token.partition(":")
        key = dict(self.keys).get(key_id)
        if key is None:
            raise KeyError_(f"no key {key_id!r} in FIELD_ENCRYPTION_KEYS")
        blob = base64.b64decode(encoded)
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated or None).decode()

    def needs_rotation(self, token: str) -> bool:
        return token.partition(":")[0] != self.current_id


def lookup_digest(value: str, key: bytes) -> str:
    """Keyed digest of a normalised identifier, for equality look-ups and unique constraints."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
