"""Activation online (我的社保卡) and at the counter; the PIN's lockout after wrong entries and its SMS reset."""

import datetime

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.utils import timezone

from sscard.accounts import signin
from sscard.accounts.models import LoginCode
from sscard.cards.constants import CardState
from sscard.cards.services import activation, loss
from sscard.cards.services.errors import CardError
from sscard.notifications import dao
from sscard.notifications.models import Notification
from tests.cards.conftest import GOOD_PIN, PHONE, make_card
from tests.factories import PersonFactory, StaffUserFactory
from tests.helpers import last_login_code

pytestmark = pytest.mark.django_db


def _birthday_pin(person) -> str:
    return person.id_number[8:14]  # YYMMDD


def test_my_cards_page_shows_the_masked_number_where_it_is_and_the_activate_button(client, citizen, person):
    card = make_card(person, citizen)
    page = client.get("/cards/").content.decode()
    assert card.card_number not in page
    assert f"{card.card_number[:2]}*****{card.card_number[-2:]}" in page
    assert "待激活" in page and "在您手中" in page
    assert f"/cards/{card.pk}/activate/" in page


def test_a_card_still_at_the_branch_says_which_branch_and_cannot_be_activated(client, citizen, person):
    card = make_card(person, citizen, state="at_branch", handed_over_at=None)
    page = client.get("/cards/").content.decode()
    assert "网点待领取" in page
    assert f"/cards/{card.pk}/activate/" not in page
    response = client.post(f"/cards/{card.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert response.status_code == 422
    assert "签收或到网点领卡后才能激活" in response.content.decode()
    card.refresh_from_db()
    assert card.state == CardState.INACTIVE


def test_activation_on_the_web_refuses_a_birthday_pin_then_activates_with_a_safe_one(client, citizen, person):
    card = make_card(person, citizen)
    form = client.get(f"/cards/{card.pk}/activate/").content.decode()
    assert "不能包含出生日期" in form and "不能是身份证号码后六位" in form

    pin = _birthday_pin(person)
    refused = client.post(f"/cards/{card.pk}/activate/", {"receipt": "yes", "pin": pin, "pin_confirm": pin})
    assert refused.status_code == 422
    assert "服务密码不能包含您的出生日期" in refused.content.decode()

    mismatch = client.post(f"/cards/{card.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": "481593"})
    assert "两次输入的服务密码不一致" in mismatch.content.decode()

    unconfirmed = client.post(f"/cards/{card.pk}/activate/", {"pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert "请先确认已收到社保卡" in unconfirmed.content.decode()

    done = client.post(f"/cards/{card.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert done.status_code == 302 and done["Location"] == "/cards/"
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and card.activated_at is not None
    assert card.pin_hash.startswith("argon2$argon2id$") and GOOD_PIN not in card.pin_hash
    assert Argon2PasswordHasher().verify(GOOD_PIN, card.pin_hash)
    [sms] = [n for n in dao.for_reference("card", card.pk) if n.template_code == "card_activated"]
    assert card.card_number[-4:] in sms.body
    assert "已激活，可正常使用" in client.get("/cards/").content.decode()


def test_someone_elses_card_is_not_found_and_not_listed(client, citizen):
    stranger_card = make_card(PersonFactory())
    assert client.get(f"/cards/{stranger_card.pk}/activate/").status_code == 404
    assert client.post(f"/cards/{stranger_card.pk}/loss/", {"kind": "formal", "confirm": "yes"}).status_code == 404
    assert 'data-testid="card-summary"' not in client.get("/cards/").content.decode()


def test_the_counter_activates_with_the_clerks_name_on_the_event(person):
    card = make_card(person, handed_over_at=None, state="at_branch")
    clerk = StaffUserFactory(username="guiyuan1", role="clerk")
    with pytest.raises(CardError) as caught:
        activation.activate_at_counter(card, clerk, "111111")
    assert caught.value.code == "pin_repeated"
    activation.activate_at_counter(card, clerk, GOOD_PIN)
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and card.handed_over_at is not None
    event = card.events.order_by("-id").first()
    assert event.actor == "staff:guiyuan1" and event.data["channel"] == "counter"


def _active_card(person, citizen=None):
    card = make_card(person, citizen)
    activation.activate_online(card, actor="test", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    return card


def test_six_wrong_pins_lock_the_pin_not_the_card(settings, person):
    settings.CARD_PIN_MAX_FAILURES = 6
    card = _active_card(person)
    loss.report_loss(card, loss.TEMPORARY, actor="test")
    messages = []
    for _ in range(6):
        with pytest.raises(CardError) as caught:
            loss.lift_temporary_loss(card, pin="000001", actor="test")
        messages.append((caught.value.code, caught.value.message))
    assert messages[0] == ("pin_wrong", "服务密码不正确，还可以再试5次")
    assert messages[4] == ("pin_wrong", "服务密码不正确，还可以再试1次")
    assert messages[5][0] == "pin_locked"
    card.refresh_from_db()
    assert card.pin_locked_at is not None and card.state == CardState.LOST_TEMPORARY
    # Locked: even the right PIN is refused until the reset.
    with pytest.raises(CardError) as caught:
        loss.lift_temporary_loss(card, pin=GOOD_PIN, actor="test")
    assert caught.value.code == "pin_locked"


def test_a_right_pin_clears_the_wrong_entries(person):
    card = _active_card(person)
    loss.report_loss(card, loss.TEMPORARY, actor="test")
    with pytest.raises(CardError):
        loss.lift_temporary_loss(card, pin="000001", actor="test")
    loss.lift_temporary_loss(card, pin=GOOD_PIN, actor="test")
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and card.pin_failures == 0


def test_pin_reset_on_the_web_needs_the_sms_code(client, citizen, person, settings):
    settings.CARD_PIN_MAX_FAILURES = 2
    card = _active_card(person, citizen)
    for _ in range(2):
        with pytest.raises(CardError):
            activation.verify_pin(card, "000001")
    assert "服务密码已锁定" in client.get("/cards/").content.decode()

    # The sign-in code was asked for a moment ago; one code a minute per phone, whatever it is for.
    LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    sent = client.post(f"/cards/{card.pk}/pin-reset/", {"step": "send_code"})
    assert "验证码已发送到138****5678" in sent.content.decode()
    assert LoginCode.objects.filter(purpose="pin_reset").count() == 1
    reset_sms = Notification.objects.order_by("-id").first()
    assert reset_sms.template_code == "pin_reset_code" and "重置社保卡服务密码" in reset_sms.display_body
    assert "登录" not in reset_sms.display_body
    code = last_login_code("pin_reset_code")

    wrong = client.post(f"/cards/{card.pk}/pin-reset/", {"code": "000000" if code != "000000" else "111111",
                                                         "pin": "730916", "pin_confirm": "730916"})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.content.decode()
    weak = client.post(f"/cards/{card.pk}/pin-reset/", {"code": code, "pin": "654321", "pin_confirm": "654321"})
    assert "不能是连续的数字" in weak.content.decode()

    done = client.post(f"/cards/{card.pk}/pin-reset/", {"code": code, "pin": "730916", "pin_confirm": "730916"})
    assert done.status_code == 302
    card.refresh_from_db()
    assert card.pin_locked_at is None and card.pin_failures == 0
    activation.verify_pin(card, "730916")  # the new PIN works
    with pytest.raises(CardError):
        activation.verify_pin(card, GOOD_PIN)


def test_a_login_code_does_not_reset_a_pin(person):
    card = _active_card(person)
    LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert signin.request_code(PHONE, purpose="login").ok
    with pytest.raises(CardError) as caught:
        activation.reset_pin(card, phone=PHONE, code=last_login_code(), pin="730916", pin_confirm="730916",
                             actor="test")
    assert caught.value.code == "sms_code_invalid"
