"""The 长辈模式 switch flips the mode the citizen SEES, on every device they are signed in on (issue #11)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from sscard.accounts.models import Citizen
from sscard.accounts.web import SESSION_KEY
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def signed_in_elsewhere(client, citizen) -> None:
    """A second device's session (a second SMS code within 60 s would be refused, rightly)."""
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def elder(client) -> bool:
    return 'class="elder"' in client.get("/").content.decode()


def test_one_tap_leaves_elder_mode_that_was_turned_on_from_another_device():
    phone, tablet = Client(), Client()
    sign_in(phone, PHONE)
    signed_in_elsewhere(tablet, Citizen.objects.get())
    tablet.post("/elder-mode/", {"next": "/"})  # the daughter turns it on from her tablet
    assert Citizen.objects.get().elder_mode and elder(phone)  # the account's choice shows on the phone too

    phone.post("/elder-mode/", {"next": "/"})  # the switch on the phone says 标准模式: one tap
    assert not elder(phone)
    assert not Citizen.objects.get().elder_mode


def test_the_switch_toggles_back_and_forth_for_a_visitor():
    visitor = Client()
    visitor.post("/elder-mode/", {"next": "/"})
    assert elder(visitor)
    visitor.post("/elder-mode/", {"next": "/"})
    assert not elder(visitor)
