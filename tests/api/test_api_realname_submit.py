"""The channel API's side of issue #10: real-name binding (4) and an idempotent submit (9)."""

from __future__ import annotations

import pytest

from sscard.accounts.models import Citizen
from sscard.applications.models import Application, ApplicationEvent
from sscard.notifications.models import Notification
from tests.factories import PersonFactory, make_id_number
from tests.helpers import pass_photo_checks


@pytest.fixture
def person(db):
    return PersonFactory(name="张伟")


@pytest.fixture
def photos_pass(monkeypatch):
    pass_photo_checks(monkeypatch)


def _submitted(user, person, jpeg) -> dict:
    response = user.start_application(name=person.name, id_number=person.id_number)
    assert response.status_code == 201, response.json()
    app_id = response.json()["application"]["id"]
    assert user.save_step(app_id, "contact", {"phone": "13812345678"}).status_code == 200
    assert user.save_step(app_id, "address", {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}).status_code == 200
    assert user.save_step(app_id, "pickup", {"pickup_method": "mail"}).status_code == 200
    for kind in ("id_front", "id_back", "portrait"):
        assert user.upload(app_id, kind, jpeg()).status_code == 200
    first = user.submit(app_id)
    assert first.status_code == 200, first.json()
    return first.json()


# --- eligibility: one answer for a wrong name and an unknown number ---------------------------------


def test_eligibility_answers_a_wrong_name_as_an_unknown_number(api, person):
    wrong_name = api.eligibility("李娜", person.id_number)
    unknown = api.eligibility("李娜", make_id_number())
    assert wrong_name.status_code == unknown.status_code == 200
    assert wrong_name.json() == unknown.json()
    body = wrong_name.json()
    assert body["verdict"] == "not_in_registry" and body["may_apply_online"] is False
    assert body["title"] == "姓名与身份证号码不匹配，或尚未在社保系统登记"
    assert "登记的不一致" not in str(body)


def test_binding_answers_a_wrong_name_as_an_unknown_number(user, person, error_of):
    wrong_name = error_of(user.bind_real_name("李娜", person.id_number), 422, "realname_mismatch")
    unknown = error_of(user.bind_real_name("李娜", make_id_number()), 422, "realname_mismatch")
    assert wrong_name == unknown


# --- one person, one account; no change while an application is open ------------------------------


def test_a_person_bound_to_one_phone_cannot_be_bound_by_another(user, other_user, person, error_of):
    assert user.bind_real_name(person.name, person.id_number).status_code == 200
    error = error_of(other_user.bind_real_name(person.name, person.id_number), 409, "realname_bound_elsewhere")
    assert "原手机号" in error["message"]
    error_of(other_user.start_application(name=person.name, id_number=person.id_number), 409,
             "realname_bound_elsewhere")
    assert Citizen.objects.filter(person=person).count() == 1


def test_an_open_application_holds_the_binding(user, person, error_of, jpeg, photos_pass):
    accepted = _submitted(user, person, jpeg)
    stranger = PersonFactory(name="陈静")
    # Re-binding to someone else to start a second "self" application is refused, naming the open one.
    error = error_of(user.start_application(name=stranger.name, id_number=stranger.id_number), 409, "binding_locked")
    assert accepted["acceptance_number"] in error["message"]
    error_of(user.bind_real_name(stranger.name, stranger.id_number), 409, "binding_locked")
    assert Application.objects.count() == 1
    assert Citizen.objects.get(person__isnull=False).person == person


def test_binding_attempts_are_limited_per_account(user, person, error_of, settings):
    settings.REALNAME_ATTEMPTS_PER_ACCOUNT = 2
    for _ in range(2):
        error_of(user.bind_real_name("李娜", make_id_number()), 422, "realname_mismatch")
    response = user.bind_real_name(person.name, person.id_number)
    error_of(response, 429, "too_many_attempts")
    assert response.headers["Retry-After"] == "60"


# --- submit, retried -----------------------------------------------------------------------------


def test_a_retried_submit_gets_the_same_acceptance_number_and_no_second_sms(user, person, jpeg, photos_pass):
    first = _submitted(user, person, jpeg)
    sms_before = Notification.objects.filter(template_code="application_accepted").count()
    again = user.submit(first["application"]["id"])
    assert again.status_code == 200
    assert again.json()["acceptance_number"] == first["acceptance_number"]
    assert again.json()["decision_due"] == first["decision_due"]
    assert Notification.objects.filter(template_code="application_accepted").count() == sms_before == 1
    assert ApplicationEvent.objects.filter(action__in=["submit", "resubmit"]).count() == 1


def test_submitting_a_withdrawn_application_is_still_refused(user, person, jpeg, photos_pass, error_of):
    first = _submitted(user, person, jpeg)
    app_id = first["application"]["id"]
    assert user.withdraw(app_id).status_code == 200
    error_of(user.submit(app_id), 409, "transition_not_allowed")
