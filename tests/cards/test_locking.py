"""The 6-month lock with fixed dates: warnings 30 and 7 days before, each once; the lock; the counter's unlock."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from sscard.cards.constants import CardState
from sscard.cards.models import CardWarning
from sscard.cards.services import activation, locking
from sscard.cards.services.errors import CardError
from sscard.notifications import dao
from sscard.scheduling import JOBS
from tests.cards.conftest import GOOD_PIN, make_card
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

HANDED_OVER = timezone.make_aware(datetime.datetime(2026, 1, 10, 15, 0))
LOCK_AT = HANDED_OVER + datetime.timedelta(days=183)  # 2026-07-12 15:00


def _sms(card, template):
    return [n for n in dao.for_reference("card", card.pk) if n.template_code == template]


@pytest.fixture
def card(person, settings):
    settings.CARD_LOCK_AFTER_DAYS = 183
    return make_card(person, handed_over_at=HANDED_OVER)


def test_the_job_is_registered_to_run_daily():
    job = JOBS["cards.lock_unactivated"]
    assert job.daily_at is not None and job.func is locking.lock_unactivated_cards
    assert JOBS["cards.lift_temporary_losses"].daily_at is not None


def test_warnings_at_30_and_7_days_each_once_then_the_lock(card):
    def run(at):
        counts = locking.lock_unactivated_cards(at)
        card.refresh_from_db()
        return counts

    assert run(LOCK_AT - datetime.timedelta(days=30, seconds=1))["warned_30"] == 0
    assert _sms(card, "lock_warning_30") == []

    assert run(LOCK_AT - datetime.timedelta(days=30))["warned_30"] == 1
    [warning] = _sms(card, "lock_warning_30")
    assert "2026年07月12日" in warning.body and "30天" in warning.body
    assert run(LOCK_AT - datetime.timedelta(days=29))["warned_30"] == 0  # the next day: not again
    assert len(_sms(card, "lock_warning_30")) == 1

    assert run(LOCK_AT - datetime.timedelta(days=7))["warned_7"] == 1
    assert "还有7天" in _sms(card, "lock_warning_7")[0].body
    assert run(LOCK_AT - datetime.timedelta(days=6))["warned_7"] == 0
    assert card.state == CardState.INACTIVE

    assert run(LOCK_AT - datetime.timedelta(seconds=1))["locked"] == 0
    assert run(LOCK_AT) == {"warned_30": 0, "warned_7": 0, "locked": 1, "skipped": 0}
    assert card.state == CardState.LOCKED
    assert len(_sms(card, "card_locked")) == 1
    assert run(LOCK_AT + datetime.timedelta(days=1))["locked"] == 0  # idempotent
    assert CardWarning.objects.filter(card=card).count() == 2


def test_a_card_that_missed_the_30_day_window_gets_only_the_7_day_warning(card):
    locking.lock_unactivated_cards(LOCK_AT - datetime.timedelta(days=5))
    assert _sms(card, "lock_warning_30") == [] and len(_sms(card, "lock_warning_7")) == 1


def test_activated_cards_and_cards_not_handed_over_are_left_alone(person, card):
    waiting = make_card(person, handed_over_at=None, state="at_branch")
    activation.activate_online(card, actor="test", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    counts = locking.lock_unactivated_cards(LOCK_AT + datetime.timedelta(days=400))
    assert counts == {"warned_30": 0, "warned_7": 0, "locked": 0, "skipped": 0}
    card.refresh_from_db()
    waiting.refresh_from_db()
    assert card.state == CardState.ACTIVE and waiting.state == CardState.INACTIVE


def test_only_a_counter_unlocks_and_the_clock_starts_again(card):
    locking.lock_unactivated_cards(LOCK_AT)
    card.refresh_from_db()
    with pytest.raises(CardError) as caught:
        activation.activate_online(card, actor="citizen:1", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    assert caught.value.code == "card_not_activatable" and "已锁定" in caught.value.message

    clerk = StaffUserFactory(username="guiyuan2", role="clerk")
    locking.unlock_at_counter(card, clerk)
    card.refresh_from_db()
    assert card.state == CardState.INACTIVE and card.unlocked_at is not None
    assert card.events.order_by("-id").first().actor == "staff:guiyuan2"
    # The nightly job does not lock it again at once: a new period runs from the unlock.
    assert locking.lock_unactivated_cards(timezone.now() + datetime.timedelta(days=1))["locked"] == 0
    with pytest.raises(CardError):
        locking.unlock_at_counter(card, clerk)
    activation.activate_online(card, actor="citizen:1", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_warn_once_and_lock_once(postgres_only, person, settings):
    settings.CARD_LOCK_AFTER_DAYS = 183
    cards = [make_card(person, handed_over_at=HANDED_OVER) for _ in range(3)]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run(at):
        try:
            barrier.wait()
            results.append(locking.lock_unactivated_cards(at))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    for at in (LOCK_AT - datetime.timedelta(days=7), LOCK_AT):
        results.clear()
        threads = [threading.Thread(target=run, args=(at,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        key = "warned_7" if at < LOCK_AT else "locked"
        assert sum(r[key] for r in results) == 3
    assert all(len(_sms(c, "lock_warning_7")) == 1 and len(_sms(c, "card_locked")) == 1 for c in cards)
