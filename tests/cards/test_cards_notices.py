"""A card's notices refer to the card (not to the application it came from)."""

import pytest

from sscard.applications import lifecycle as application_lifecycle
from sscard.cards import lifecycle
from sscard.notifications import dao
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_activation_notice_refers_to_the_card_and_names_its_last_digits():
    person = PersonFactory()
    application = application_lifecycle.create_draft(
        actor="test", person=person, name=person.name, id_number=person.id_number, phone="13812345678",
        channel="website",
    )
    card = lifecycle.issue(actor="test", person=person, application=application, card_number="6221880012345678")
    lifecycle.perform(card, "activate", actor="citizen:1")
    [sms] = dao.for_reference("card", card.pk)
    assert sms.template_code == "card_activated" and "5678" in sms.body
    assert sms.masked_phone == "138****5678"
    assert dao.for_reference("application", application.pk) == []
