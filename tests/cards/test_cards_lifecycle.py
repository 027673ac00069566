import pytest

from sscard.cards import lifecycle
from sscard.cards.constants import CardState
from sscard.common.statemachine import TransitionNotAllowed
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _card(**kwargs):
    return lifecycle.issue(actor="test", person=PersonFactory(), card_number="6221880012345678", **kwargs)


def test_activation_and_loss_path():
    card = _card()
    lifecycle.perform(card, "activate", actor="citizen:1")
    lifecycle.perform(card, "report_loss", actor="citizen:1")
    lifecycle.perform(card, "make_loss_formal", actor="staff:clerk")
    lifecycle.perform(card, "void", actor="system", reason="补卡后旧卡作废")
    assert card.state == CardState.VOID
    assert [e.to_state for e in card.events.order_by("id")] == [
        CardState.INACTIVE, CardState.ACTIVE, CardState.LOST_TEMPORARY, CardState.LOST_FORMAL, CardState.VOID]


def test_locked_card_is_unlocked_at_a_counter_then_activated():
    card = _card()
    lifecycle.perform(card, "lock_unactivated", actor="system")
    with pytest.raises(TransitionNotAllowed) as caught:
        lifecycle.perform(card, "activate", actor="citizen:1")
    assert caught.value.message == "当前状态为“已锁定”，不能激活"
    lifecycle.perform(card, "unlock", actor="staff:clerk")
    lifecycle.perform(card, "activate", actor="staff:clerk")
    assert card.state == CardState.ACTIVE


def test_a_void_card_stays_void():
    card = _card()
    lifecycle.perform(card, "void", actor="system")
    for action in lifecycle.TABLE.by_action:
        with pytest.raises(TransitionNotAllowed):
            lifecycle.perform(card, action, actor="test")
