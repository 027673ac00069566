"""Django glue: an encrypted text field and the digest helper, keyed from settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import models

from sscard.privacy.crypto import KeyRing, lookup_digest


@cache
def keyring() -> KeyRing:
    return KeyRing.parse(settings.FIELD_ENCRYPTION_KEYS)


def digest(value: str) -> str:
    """The look-up digest for a normalised identifier (ID number, phone)."""
    return lookup_digest(value, settings.LOOKUP_HMAC_KEY.encode())


class EncryptedTextField(models.TextField):
    """Stores ``key_id:ciphertext``; reads back the plaintext. Never filter on it: use the digest."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(value)
