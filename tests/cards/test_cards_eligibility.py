"""Eligibility counts a live card of ours as "already has a card" and points to 我的社保卡, not a dead end."""

import pytest

from sscard.applications.eligibility import Verdict
from sscard.applications.services.eligibility import own_eligibility
from sscard.cards import lifecycle
from sscard.cards.services import loss
from tests.cards.conftest import make_card

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actions", [[], ["activate"], ["lock_unactivated"], ["activate", "report_loss"]])
def test_a_live_card_means_already_has_a_card(person, actions):
    card = make_card(person)
    for action in actions:
        lifecycle.perform(card, action, actor="test")
    assert own_eligibility(person).verdict == Verdict.HAS_CARD


def test_a_formally_lost_card_allows_a_replacement_and_a_void_card_counts_for_nothing(person):
    card = make_card(person)
    loss.report_loss(card, loss.FORMAL, actor="test")
    verdict = own_eligibility(person)
    assert verdict.verdict == Verdict.REPLACEMENT and not verdict.may_apply_online
    assert "补卡" in verdict.title
    lifecycle.perform(card, "void", actor="system")
    assert own_eligibility(person).verdict == Verdict.ONLINE


def test_the_start_page_offers_my_cards_instead_of_a_dead_end(client, citizen, person):
    make_card(person, citizen)
    page = client.get("/apply/").content.decode()
    assert "您已经有一张有效的第三代社保卡" in page
    assert 'href="/cards/"' in page and "挂失、补换卡" in page


def test_the_start_page_sends_a_formally_lost_card_to_replacement(client, citizen, person):
    card = make_card(person, citizen)
    loss.report_loss(card, loss.FORMAL, actor="test")
    page = client.get("/apply/").content.decode()
    assert "可以申请补卡" in page and "去补换卡" in page
