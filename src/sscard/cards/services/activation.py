"""Activation with a safe service PIN, online or at a counter; checking the PIN; its lockout and SMS reset.

The PIN is stored with Django's Argon2 hasher, named here rather than taken from ``PASSWORD_HASHERS``: staff
password settings (and the fast hasher the tests use for them) must never weaken a card's PIN.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sscard.accounts import signin
from sscard.cards import lifecycle, pin_policy
from sscard.cards.constants import CardState
from sscard.cards.models import Card
from sscard.cards.services.errors import CardError

log = logging.getLogger("sscard.cards")

PIN_RESET_PURPOSE = "pin_reset"
_hasher = Argon2PasswordHasher()


def hash_pin(pin: str) -> str:
    return _hasher.encode(pin, _hasher.salt())


def _checked_pin(card: Card, pin: str, pin_confirm: str | None) -> str:
    refusal = pin_policy.check_pin(pin, pin_confirm, id_number=card.person.id_number)
    if refusal is not None:
        field = "pin_confirm" if refusal.code == "pin_mismatch" else "pin"
        raise CardError(refusal.code, refusal.message, errors={field: refusal.message})
    return pin


def _ensure_activatable(card: Card) -> None:
    if card.state != CardState.INACTIVE:
        label = CardState(card.state).label
        raise CardError("card_not_activatable", f"这张卡当前为“{label}”，不能激活")


def activate_online(card: Card, *, actor: str, pin: str, pin_confirm: str, receipt_confirmed: bool) -> Card:
    """The holder (or the account that applied for them) confirms receipt and sets the PIN twice."""
    _ensure_activatable(card)
    if card.handed_over_at is None:
        raise CardError("card_not_handed_over", "卡还没有送到您手中，签收或到网点领卡后才能激活")
    if not receipt_confirmed:
        raise CardError("receipt_not_confirmed", "请先确认已收到社保卡", errors={"receipt": "请勾选“我已收到社保卡”"})
    _checked_pin(card, pin, pin_confirm)
    return _activate(card, pin, actor=actor, channel="online")


def activate_at_counter(card: Card, clerk, pin: str, pin_confirm: str | None = None) -> Card:
    """The branch counter activates a card in the holder's presence (the holder types the PIN on the keypad).

    Handing the card over and activating happen at the same window, so the card counts as handed over now
    if nothing recorded it before.
    """
    _ensure_activatable(card)
    _checked_pin(card, pin, pin_confirm)
    return _activate(card, pin, actor=f"staff:{clerk.get_username()}", channel="counter")


def _activate(card: Card, pin: str, *, actor: str, channel: str) -> Card:
    now = timezone.now()
    changes = {"pin_hash": hash_pin(pin), "activated_at": now, "pin_failures": 0, "pin_locked_at": None}
    if card.handed_over_at is None:
        changes["handed_over_at"] = now
    lifecycle.perform(card, "activate", actor=actor, data={"channel": channel, "receipt_confirmed": True},
                      changes=changes)
    log.info("card_activated card=%s channel=%s", card.pk, channel)
    return card


def verify_pin(card: Card, pin: str) -> None:
    """Return when ``pin`` is the card's service PIN; otherwise refuse, counting the wrong entry.

    ``settings.CARD_PIN_MAX_FAILURES`` wrong entries in a row lock the PIN (not the card) until an SMS reset.
    The count is committed before the refusal is raised, so a refused attempt is never rolled back.
    """
    if not card.pin_hash:
        raise CardError("pin_not_set", "这张卡还没有设置服务密码")
    if card.pin_locked_at is not None:
        raise CardError("pin_locked", _locked_message())
    if isinstance(pin, str) and pin.isascii() and pin.isdigit() and _hasher.verify(pin, card.pin_hash):
        if card.pin_failures:
            Card.objects.filter(pk=card.pk).update(pin_failures=0)
            card.pin_failures = 0
        return
    limit = settings.CARD_PIN_MAX_FAILURES
    with transaction.atomic():
        # Counted in the database (F()): two wrong entries at once are two, never one.
        Card.objects.filter(pk=card.pk).update(pin_failures=F("pin_failures") + 1)
        Card.objects.filter(pk=card.pk, pin_failures__gte=limit, pin_locked_at__isnull=True).update(
            pin_locked_at=timezone.now())
    card.refresh_from_db(fields=["pin_failures", "pin_locked_at"])
    if card.pin_locked_at is not None:
        log.info("pin_locked card=%s", card.pk)
        raise CardError("pin_locked", _locked_message(), errors={"pin": "服务密码已锁定"})
    left = limit - card.pin_failures
    raise CardError("pin_wrong", f"服务密码不正确，还可以再试{left}次", errors={"pin": f"服务密码不正确，还可以再试{left}次"})


def _locked_message() -> str:
    return (f"服务密码已连续输错{settings.CARD_PIN_MAX_FAILURES}次，已被锁定（卡仍可正常使用）。"
            "请用短信验证码重置服务密码")


def _ensure_resettable(card: Card) -> None:
    if not card.pin_hash or card.state not in (CardState.ACTIVE, CardState.LOST_TEMPORARY):
        raise CardError("pin_not_set", "这张卡还没有激活，没有可以重置的服务密码")


def request_pin_reset_code(card: Card, phone: str, *, ip: str = "") -> signin.Outcome:
    """Send an SMS code (purpose ``pin_reset``) to the account's phone."""
    _ensure_resettable(card)
    return signin.request_code(phone, ip=ip, purpose=PIN_RESET_PURPOSE)


def reset_pin(card: Card, *, phone: str, code: str, pin: str, pin_confirm: str, actor: str) -> Card:
    """A new PIN after an SMS code to the account's phone; clears the wrong-entry count and the lock.

    The new PIN is checked first, so a refused PIN does not use up the code.
    """
    _ensure_resettable(card)
    _checked_pin(card, pin, pin_confirm)
    outcome = signin.verify_code(phone, code, purpose=PIN_RESET_PURPOSE)
    if not outcome.ok:
        raise CardError("sms_code_invalid", outcome.message, errors={"code": outcome.message})
    Card.objects.filter(pk=card.pk).update(pin_hash=hash_pin(pin), pin_failures=0, pin_locked_at=None)
    card.refresh_from_db(fields=["pin_hash", "pin_failures", "pin_locked_at"])
    log.info("pin_reset card=%s actor=%s", card.pk, actor.split(" ")[0])
    return card
