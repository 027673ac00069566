import base64
import os

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from sscard.privacy.crypto import KeyError_, KeyRing, lookup_digest
from tests.factories import PersonFactory


def _key(key_id):
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def test_round_trip_and_fresh_nonce():
    ring = KeyRing.parse(_key("k1"))
    a, b = ring.encrypt("442000199001011233"), ring.encrypt("442000199001011233")
    assert a != b and a.startswith("k1:")
    assert ring.decrypt(a) == "442000199001011233"


def test_rotation_old_values_still_read_new_values_use_the_new_key():
    old = _key("k1")
    old_ring = KeyRing.parse(old)
    token = old_ring.encrypt("13812345678")
    new_ring = KeyRing.parse(_key("k2") + "," + old)
    assert new_ring.decrypt(token) == "13812345678"
    assert new_ring.needs_rotation(token)
    assert new_ring.encrypt("x").startswith("k2:")
    with pytest.raises(KeyError_):
        KeyRing.parse(_key("k3")).decrypt(token)


def test_tampering_is_detected():
    ring = KeyRing.parse(_key("k1"))
    token = ring.encrypt("442000199001011233")
    key_id, blob = token.split(":")
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        ring.decrypt(f"{key_id}:{base64.b64encode(bytes(raw)).decode()}")


@pytest.mark.parametrize("spec", ["", "k1", "k1:" + base64.b64encode(b"short").decode()])
def test_malformed_keys_are_refused(spec):
    with pytest.raises(KeyError_):
        KeyRing.parse(spec)


def test_digest_is_keyed():
    assert lookup_digest("x", b"a") == lookup_digest("x", b"a")
    assert lookup_digest("x", b"a") != lookup_digest("x", b"b")


@pytest.mark.django_db
def test_id_numbers_are_not_stored_in_clear():
    person = PersonFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_digest FROM registry_person WHERE id = %s", [person.pk])
        stored, stored_digest = cursor.fetchone()
    assert person.id_number not in stored
    assert person.id_number not in stored_digest
    assert str(person) .endswith(person.id_number[-4:]) and person.id_number not in str(person)


@pytest.mark.django_db
def test_rotate_keys_command_rewrites_old_rows(settings):
    from django.core.management import call_command

    from sscard.privacy.fields import keyring

    person = PersonFactory()
    old_spec = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = _key("k9") + "," + old_spec
    keyring.cache_clear()
    try:
        call_command("rotate_keys")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [person.pk])
            assert cursor.fetchone()[0].startswith("k9:")
        person.refresh_from_db()
        assert person.id_number == PersonFactory._meta.model.objects.get(pk=person.pk).id_number
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_spec
        keyring.cache_clear()
