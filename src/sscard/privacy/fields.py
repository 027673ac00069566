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
    """Stores ``key_id:ciphertext``; reads back the plaintext. Never filter on it: use the digest.

    ``digest_field`` names the companion column that receives the look-up digest of the value on
    every save, so no model has to remember to keep the two in step.
    """

    def __init__(self, *args, digest_field: str = "", **kwargs):
        self.digest_field = digest_field
        super().__init__(*args, **kwargs)

    # deconstruct() leaves digest_field out on purpose: it changes nothing in the database schema.

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.digest_field:
            setattr(model_instance, self.digest_field, digest(value) if value else "")
        return value

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(value)
