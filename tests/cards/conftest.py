"""Cards in the states the tests need, made through the real lifecycles (applications and cards)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from sscard.accounts.models import Citizen
from sscard.cards import lifecycle
from sscard.privacy.fields import digest
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import sign_in

PHONE = "13812345678"
GOOD_PIN = "481592"
_numbers = itertools.count(1)


def make_card(person, account=None, *, handed_over_at="now", state="delivered", **application_fields):
    """An issued card from the person's application (delivered by default, made with ``application_fields``),
    handed over at ``handed_over_at``."""
    application = ApplicationFactory(person=person, account=account, **{state: True}, **application_fields)
    when = timezone.now() if handed_over_at == "now" else handed_over_at
    return lifecycle.issue(actor="test", person=person, application=application,
                           card_number=f"A{next(_numbers):08d}", bank="中国银行", handed_over_at=when)


@pytest.fixture
def person(db):
    return PersonFactory()


@pytest.fixture
def citizen(db, client, person):
    """The signed-in account (``client``), bound to ``person``."""
    sign_in(client, PHONE)
    account = Citizen.objects.get(phone_digest=digest(PHONE))
    account.person = person
    account.save()
    return account
