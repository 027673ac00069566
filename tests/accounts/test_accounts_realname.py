"""Real-name binding (issue #10, 4): one person to one account at a time, no change while an own application
is open, one answer for a wrong name and an unknown number, attempts limited per account and per address."""

import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from sscard.accounts.models import Citizen
from sscard.accounts.realname import RealNameRefused, bind_real_name, unbind_real_name
from sscard.applications.constants import Relationship, State
from sscard.applications.services import submission
from sscard.audit.models import AuditEntry
from tests.accounts.realname_race import race_bind
from tests.concurrency import run_processes
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

PHONE_A, PHONE_B = "13812345678", "13900001111"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person():
    return PersonFactory(name="黎明")


def _refusal(citizen, name, id_number, **kwargs) -> RealNameRefused:
    with pytest.raises(RealNameRefused) as caught:
        bind_real_name(citizen, name, id_number, **kwargs)
    return caught.value


# --- one person, one account ---------------------------------------------------------------------


def test_a_second_phone_cannot_bind_a_person_already_bound(person):
    first, second = Citizen.objects.create(phone=PHONE_A), Citizen.objects.create(phone=PHONE_B)
    bind_real_name(first, person.name, person.id_number)
    refusal = _refusal(second, person.name, person.id_number)
    assert refusal.code == "realname_bound_elsewhere"
    assert "原手机号" in refusal.message and "解除实名绑定" in refusal.message and "网点" in refusal.message
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.person is None and first.person == person


def test_the_database_refuses_two_accounts_for_one_person(person):
    Citizen.objects.create(phone=PHONE_A, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citizen.objects.create(phone=PHONE_B, person=person)


def test_web_second_phone_reads_how_to_move_the_binding(client, person):
    Citizen.objects.create(phone=PHONE_B, person=person)
    sign_in(client, PHONE_A)
    response = client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    page = response.content.decode()
    assert response.status_code == 409
    assert "已经绑定在另一个手机号的账号上" in page and "身份证原件到网点" in page
    assert person.id_number in page  # what was typed stays in the form


def test_the_old_phone_unbinds_then_the_new_phone_binds_and_each_step_is_audited(client, person):
    sign_in(client, PHONE_A)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    page = client.get("/account/realname/unbind/").content.decode()
    assert "解除绑定" in page and person.masked_id in page
    # Without ticking "I understand" nothing happens.
    assert client.post("/account/realname/unbind/", {}).status_code == 400
    assert Citizen.objects.get(phone_digest=Citizen.objects.get().phone_digest).person == person
    response = client.post("/account/realname/unbind/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert Citizen.objects.get().person is None

    client.post("/logout/")
    sign_in(client, PHONE_B)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    new = Citizen.objects.exclude(person=None).get()
    assert new.masked_phone == "139****1111"
    actions = list(AuditEntry.objects.filter(obj_kind="citizen").order_by("id").values_list("action", flat=True))
    assert actions == ["citizen.realname_bind", "citizen.realname_unbind", "citizen.realname_bind"]
    last = AuditEntry.objects.filter(obj_kind="citizen").order_by("id").last()
    assert last.obj_id == str(new.pk) and person.id_number not in str(last.details)


# --- no change while an own application is open -----------------------------------------------------


def test_no_rebinding_or_unbinding_while_the_own_application_is_open(person):
    other = PersonFactory(name="陈静")
    citizen = Citizen.objects.create(phone=PHONE_A)
    bind_real_name(citizen, person.name, person.id_number)
    application = ApplicationFactory(person=person, account=citizen, relationship=Relationship.SELF, submitted=True)

    refusal = _refusal(citizen, other.name, other.id_number)
    assert refusal.code == "binding_locked" and application.acceptance_number in refusal.message
    with pytest.raises(RealNameRefused) as caught:
        unbind_real_name(citizen)
    assert caught.value.code == "binding_locked"
    citizen.refresh_from_db()
    assert citizen.person == person

    submission.withdraw(application, actor="test")
    assert application.state == State.CANCELLED
    bind_real_name(citizen, other.name, other.id_number)  # withdrawn: the binding may change again
    citizen.refresh_from_db()
    assert citizen.person == other


def test_an_open_draft_also_holds_the_binding(client, person):
    sign_in(client, PHONE_A)
    client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    assert client.post("/apply/").status_code == 302  # a draft for oneself
    response = client.post("/account/realname/unbind/", {"confirm": "yes"})
    assert response.status_code == 409 and "草稿" in response.content.decode()
    assert Citizen.objects.get().person == person


# --- one answer for a wrong name and an unknown number ------------------------------------------


def test_wrong_name_and_unknown_number_get_the_same_answer(person):
    citizen = Citizen.objects.create(phone=PHONE_A)
    wrong_name = _refusal(citizen, "李明", person.id_number)
    unknown = _refusal(citizen, "李明", make_id_number())
    assert (wrong_name.code, wrong_name.message, wrong_name.errors) == (unknown.code, unknown.message, unknown.errors)
    assert wrong_name.code == "realname_mismatch" and "12333" in wrong_name.message
    assert "登记的不一致" not in str(wrong_name.errors)


def test_web_wrong_name_and_unknown_number_read_the_same(client, person):
    sign_in(client)
    unknown_number = make_id_number()
    pages = []
    for id_number in (person.id_number, unknown_number):
        response = client.post("/realname/", {"name": "李明", "id_number": id_number})
        assert response.status_code == 400
        page = response.content.decode().replace(id_number, "<typed>")
        pages.append(re.sub(r"csrf[^\n]*", "", page, flags=re.IGNORECASE))  # the form token differs per page
    assert pages[0] == pages[1]
    assert "姓名与身份证号码不匹配，或尚未在社保系统登记" in pages[0]


# --- attempts limited ----------------------------------------------------------------------------


def test_attempts_are_limited_per_account(person, settings):
    settings.REALNAME_ATTEMPTS_PER_ACCOUNT = 5
    citizen = Citizen.objects.create(phone=PHONE_A)
    for _ in range(5):
        assert _refusal(citizen, "李明", make_id_number()).code == "realname_mismatch"
    # The sixth attempt within the hour is refused even with the right name: guessing stops here.
    assert _refusal(citizen, person.name, person.id_number).code == "too_many_attempts"
    citizen.refresh_from_db()
    assert citizen.person is None


def test_attempts_are_limited_per_address_across_accounts(person, settings):
    settings.REALNAME_ATTEMPTS_PER_ADDRESS = 3
    address = "192.0.2.7"
    for n in range(3):
        citizen = Citizen.objects.create(phone=f"1390000{n:04d}")
        _refusal(citizen, "李明", make_id_number(), client_address=address)
    fresh = Citizen.objects.create(phone=PHONE_A)
    assert _refusal(fresh, person.name, person.id_number, client_address=address).code == "too_many_attempts"
    # Another address is not held back by that one.
    assert bind_real_name(fresh, person.name, person.id_number, client_address="192.0.2.8") == person


def test_web_too_many_attempts_says_what_to_do(client, settings):
    settings.REALNAME_ATTEMPTS_PER_ACCOUNT = 1
    sign_in(client)
    client.post("/realname/", {"name": "李明", "id_number": make_id_number()})
    response = client.post("/realname/", {"name": "李明", "id_number": make_id_number()})
    assert response.status_code == 429 and "1小时后再试" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_phones_binding_one_person_at_once_only_one_gets_it(postgres_only):
    person = PersonFactory(name="黎明")
    phones = [Citizen.objects.create(phone=PHONE_A), Citizen.objects.create(phone=PHONE_B)]
    name = connection.settings_dict["NAME"]
    outcomes = dict(run_processes(race_bind, [(name, c.pk, person.name, person.id_number) for c in phones]))
    assert sorted(outcomes.values()) == ["bound", "realname_bound_elsewhere"], outcomes
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "bound")
    assert list(Citizen.objects.filter(person=person).values_list("pk", flat=True)) == [winner]
