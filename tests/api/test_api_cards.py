"""我的社保卡 through the channel API: paths, fields, and the 422 codes of a refused PIN."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sscard.accounts.models import Citizen, LoginCode
from sscard.applications.constants import Kind
from sscard.cards import lifecycle
from sscard.cards.constants import CardState
from sscard.privacy.fields import digest
from tests.api.conftest import USER_PHONE
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.helpers import last_login_code

GOOD_PIN = "481592"


@pytest.fixture
def holder(db):
    person = PersonFactory(name="张伟", id_number=make_id_number(born=datetime.date(1987, 3, 25)))
    assert "0325" not in person.id_number[-6:] and "2503" not in person.id_number[-6:]  # the tail case stays a tail
    Citizen.objects.create(phone=USER_PHONE, person=person)
    return person


def _card(person, *, handed_over=True, number="B12345678"):
    account = Citizen.objects.get(phone_digest=digest(USER_PHONE))
    application = ApplicationFactory(person=person, account=account, delivered=True)
    return lifecycle.issue(actor="test", person=person, application=application, card_number=number,
                           bank="中国银行", handed_over_at=timezone.now() if handed_over else None)


def _activate(user, card_id, pin, confirm=None):
    return user.request("POST", f"/cards/{card_id}/activate", json={"pin": pin, "pin_confirm": confirm or pin})


def test_list_cards_masks_the_number_and_names_the_actions(user, holder):
    card = _card(holder)
    response = user.request("GET", "/cards")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == card.pk and item["card_number"] == "B1*****78"
    assert item["state"] == "inactive" and item["actions"] == ["activate", "report_loss_formal"]
    assert item["lock_due_at"] is not None and item["pin_locked"] is False
    assert "12345678" not in response.content.decode()


def test_a_user_without_an_account_has_no_cards(other_user, db):
    assert other_user.request("GET", "/cards").json() == []


@pytest.mark.parametrize(("pin", "confirm", "code"), [
    ("12345", None, "pin_format"),
    ("481592", "481529", "pin_mismatch"),
    ("birthday", None, "pin_birthday"),
    ("tail", None, "pin_id_tail"),
    ("888888", None, "pin_repeated"),
    ("234567", None, "pin_sequence"),
    ("520520", None, "pin_common"),
])
def test_a_refused_pin_is_a_422_with_the_rules_code_and_chinese_message(user, holder, error_of, pin, confirm, code):
    card = _card(holder)
    pin = {"birthday": holder.id_number[8:14], "tail": holder.id_number[-6:]}.get(pin, pin)
    body = error_of(_activate(user, card.pk, pin, confirm), 422, code)
    assert "服务密码" in body["message"] or "数字" in body["message"]
    card.refresh_from_db()
    assert card.state == CardState.INACTIVE and not card.pin_hash


def test_activate_then_temporary_loss_then_lift_with_the_pin(user, holder, error_of):
    card = _card(holder)
    response = _activate(user, card.pk, GOOD_PIN)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "active" and "report_loss" in response.json()["actions"]
    error_of(_activate(user, card.pk, GOOD_PIN), 409, "card_not_activatable")

    lost = user.request("POST", f"/cards/{card.pk}/loss", json={"kind": "temporary"})
    assert lost.status_code == 200 and lost.json()["state"] == "lost_temporary"
    assert lost.json()["actions"] == ["lift_loss", "report_loss_formal", "reset_pin"]
    error_of(user.request("POST", f"/cards/{card.pk}/loss", json={"kind": "temporary"}), 409, "loss_not_allowed")

    wrong = error_of(user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": "000001"}), 422, "pin_wrong")
    assert "还可以再试5次" in wrong["message"]
    lifted = user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": GOOD_PIN})
    assert lifted.status_code == 200 and lifted.json()["state"] == "active"


def test_loss_kind_must_be_temporary_or_formal(user, holder, error_of):
    card = _card(holder)
    body = error_of(user.request("POST", f"/cards/{card.pk}/loss", json={"kind": "stolen"}), 422, "invalid_request")
    assert "kind" in body["errors"]


def test_pin_lockout_and_reset_by_sms_code(user, holder, error_of, settings):
    settings.CARD_PIN_MAX_FAILURES = 2
    card = _card(holder)
    _activate(user, card.pk, GOOD_PIN)
    user.request("POST", f"/cards/{card.pk}/loss", json={"kind": "temporary"})
    error_of(user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": "000001"}), 422, "pin_wrong")
    error_of(user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": "000001"}), 409, "pin_locked")
    error_of(user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": GOOD_PIN}), 409, "pin_locked")
    assert user.request("GET", "/cards").json()[0]["pin_locked"] is True

    sent = user.request("POST", f"/cards/{card.pk}/pin-reset/code")
    assert sent.status_code == 200 and sent.json()["sent"] is True
    assert LoginCode.objects.filter(purpose="pin_reset").count() == 1
    error_of(user.request("POST", f"/cards/{card.pk}/pin-reset/code"), 429, "sms_code_refused")
    code = last_login_code("pin_reset_code")
    error_of(user.request("POST", f"/cards/{card.pk}/pin-reset",
                          json={"code": code, "pin": "111111", "pin_confirm": "111111"}), 422, "pin_repeated")
    reset = user.request("POST", f"/cards/{card.pk}/pin-reset",
                         json={"code": code, "pin": "730916", "pin_confirm": "730916"})
    assert reset.status_code == 200 and reset.json()["pin_locked"] is False
    assert user.request("POST", f"/cards/{card.pk}/loss/lift", json={"pin": "730916"}).json()["state"] == "active"


def test_formal_loss_then_replacement_application(user, holder, error_of):
    card = _card(holder)
    error_of(user.request("POST", f"/cards/{card.pk}/replacement"), 409, "replacement_not_allowed")
    formal = user.request("POST", f"/cards/{card.pk}/loss", json={"kind": "formal"})
    assert formal.json()["state"] == "lost_formal" and formal.json()["actions"] == ["replace"]
    started = user.request("POST", f"/cards/{card.pk}/replacement")
    assert started.status_code == 201, started.json()
    application = started.json()["application"]
    assert application["state"] == "draft" and application["kind"] == "replacement" and application["town"] == "shiqi"
    assert application["address_detail"] == "幸福小区5栋3单元602" and application["pickup_method"] == "mail"
    card.refresh_from_db()
    assert card.replacement_applications.get().kind == Kind.REPLACEMENT
    again = user.request("POST", f"/cards/{card.pk}/replacement")
    assert again.status_code == 200 and again.json()["created"] is False
    assert user.request("GET", "/cards").json()[0]["actions"] == []


def test_another_users_card_is_not_found(user, other_user, holder, error_of):
    card = _card(holder)
    Citizen.objects.create(phone="13912345678")
    error_of(other_user.request("POST", f"/cards/{card.pk}/activate", json={"pin": GOOD_PIN,
                                                                           "pin_confirm": GOOD_PIN}), 404,
             "card_not_found")
    assert other_user.request("GET", "/cards").json() == []


def test_the_paths_are_in_the_openapi_document(api, db):
    paths = api.request("GET", "/openapi.json").json()["paths"]
    for path in ("/api/v1/cards", "/api/v1/cards/{card_id}/activate", "/api/v1/cards/{card_id}/loss",
                 "/api/v1/cards/{card_id}/loss/lift", "/api/v1/cards/{card_id}/pin-reset/code",
                 "/api/v1/cards/{card_id}/pin-reset", "/api/v1/cards/{card_id}/replacement"):
        assert path in paths, sorted(paths)


def test_lock_due_date_is_reported_for_an_unactivated_card(user, holder, settings):
    settings.CARD_LOCK_AFTER_DAYS = 183
    card = _card(holder)
    due = datetime.datetime.fromisoformat(user.request("GET", "/cards").json()[0]["lock_due_at"])
    assert abs(due - (card.handed_over_at + datetime.timedelta(days=183))) < datetime.timedelta(seconds=1)
