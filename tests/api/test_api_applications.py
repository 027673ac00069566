"""Every citizen operation through the signing client, as a partner back-end would drive it."""

from __future__ import annotations

import datetime

import pytest

from sscard.accounts.models import Citizen
from sscard.applications import lifecycle
from sscard.applications.models import Application
from sscard.privacy.fields import digest
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.helpers import pass_photo_checks

ADDRESS = {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}


@pytest.fixture
def person(db):
    return PersonFactory(name="张伟")


@pytest.fixture
def child(db):
    return PersonFactory(name="张小明", id_number=make_id_number(born=datetime.date(2016, 5, 1)))


@pytest.fixture
def photos_pass(monkeypatch):
    pass_photo_checks(monkeypatch)


def start_self(user, person):
    response = user.start_application(name=person.name, id_number=person.id_number)
    assert response.status_code == 201, response.json()
    return response.json()["application"]


def fill_in(user, app_id, jpeg, *, proof=False):
    assert user.save_step(app_id, "contact", {"phone": "13812345678"}).status_code == 200
    assert user.save_step(app_id, "address", ADDRESS).status_code == 200
    assert user.save_step(app_id, "pickup", {"pickup_method": "mail"}).status_code == 200
    kinds = ["id_front", "id_back", "portrait"] + (["relationship_proof"] if proof else [])
    for kind in kinds:
        response = user.upload(app_id, kind, jpeg())
        assert response.status_code == 200, response.json()


# --- reference and eligibility -------------------------------------------------------------------


def test_towns_and_branches_by_town(api, branch, error_of):
    towns = api.towns().json()
    assert len(towns) == 23 and towns[0] == {"code": "shiqi", "name": "石岐街道", "kind": "街道"}
    assert [b["code"] for b in api.branches(town="shiqi").json()] == ["HR01"]
    assert api.branches(town="dongqu").json() == []
    assert [b["code"] for b in api.branches().json()] == ["HR01"]
    error_of(api.branches(town="atlantis"), 422, "invalid_town")


def test_eligibility(api, person, error_of):
    body = api.eligibility(person.name, person.id_number).json()
    assert body["verdict"] == "online" and body["may_apply_online"] is True
    body = api.eligibility("王五", make_id_number()).json()
    assert body["verdict"] == "not_in_registry" and body["next_steps"]
    error = error_of(api.eligibility("张伟", "12345"), 422, "invalid_identity")
    assert "id_number" in error["errors"]


def test_real_name_binding(user, person, error_of):
    assert user.me().json()["real_name_bound"] is False
    body = user.bind_real_name(person.name, person.id_number).json()
    assert body["real_name_bound"] is True
    assert body["id_number"] != person.id_number and "*" in body["id_number"]
    assert body["phone"] == "138****5678"
    citizen = Citizen.objects.get(phone_digest=digest("13812345678"))
    assert citizen.person == person
    error_of(user.bind_real_name("李娜", person.id_number), 422, "realname_mismatch")


def test_user_header_is_required_and_checked(api, error_of):
    error_of(api.applications(), 400, "user_required")
    error_of(api.for_user("12345").applications(), 400, "invalid_user_phone")


# --- the whole journey ---------------------------------------------------------------------------


def test_apply_for_oneself_from_draft_to_accepted(user, person, partner, jpeg, photos_pass,
                                                 django_capture_on_commit_callbacks):
    application = start_self(user, person)
    assert application["state"] == "draft" and application["channel"] == "yueshengshi"
    kept_until = datetime.datetime.fromisoformat(application["draft_expires_at"])
    assert kept_until - datetime.datetime.fromisoformat(application["updated_at"]) == datetime.timedelta(days=30)
    app_id = application["id"]
    assert set(user.missing(app_id).json()["missing"]) >= {"address_detail", "pickup_method", "portrait"}
    fill_in(user, app_id, jpeg)
    assert user.missing(app_id).json() == {"complete": True, "missing": {}}
    with django_capture_on_commit_callbacks(execute=True):
        response = user.submit(app_id)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["acceptance_number"] and body["decision_due"]
    assert body["application"]["state"] == "submitted" and body["application"]["draft_expires_at"] is None
    stored = Application.objects.get(public_id=app_id)
    assert stored.channel == partner.channel and stored.acceptance_number == body["acceptance_number"]
    timeline = user.timeline(app_id).json()
    assert timeline[0]["label"] == "已受理" and timeline[0]["done"] and body["acceptance_number"] in timeline[0]["detail"]
    # What happened (auto-review may already have approved it), then what is still to come, never mixed.
    done = [e["done"] for e in timeline]
    assert done == sorted(done, reverse=True) and not done[-1]
    assert [a["id"] for a in user.applications().json()] == [app_id]


def test_start_again_returns_the_open_application(user, person):
    first = start_self(user, person)
    again = user.start_application()
    assert again.status_code == 200
    assert again.json() == {"created": False, "application": again.json()["application"]}
    assert again.json()["application"]["id"] == first["id"]


def test_start_for_oneself_needs_a_real_name(user, error_of):
    error_of(user.start_application(), 403, "realname_required")


def test_family_application_for_a_child(user, person, child, jpeg, error_of):
    start_self(user, person)
    response = user.start_application("child", child.name, child.id_number)
    assert response.status_code == 201, response.json()
    family = response.json()["application"]
    assert family["relationship"] == "child"
    assert "relationship_proof" in user.missing(family["id"]).json()["missing"]
    listed = {a["relationship"] for a in user.applications().json()}
    assert listed == {"self", "child"}
    error_of(user.start_application("parent", child.name, child.id_number), 422, "not_a_parent")
    error_of(user.start_application("child", person.name, person.id_number), 422, "not_a_minor")


def test_an_open_application_of_another_account_is_not_handed_over(user, other_user, person, error_of):
    start_self(user, person)
    # Someone else claims to apply for the same person (e.g. as family): no access to that application.
    error_of(other_user.start_application("parent", person.name, person.id_number), 409, "application_exists")


# --- an error never clears what was entered ------------------------------------------------------


def test_step_errors_keep_what_was_typed(user, person, error_of):
    app_id = start_self(user, person)["id"]
    error = error_of(user.save_step(app_id, "address", {"town": "shiqi", "address_detail": "幸福路"}),
                     422, "invalid_fields")
    assert "address_detail" in error["errors"]
    assert error["form_data"]["address_detail"] == "幸福路"
    assert user.application(app_id).json()["form_data"] == {"town": "shiqi", "address_detail": "幸福路"}
    error = error_of(user.save_step(app_id, "contact", {"phone": "1234"}), 422, "invalid_fields")
    assert error["form_data"] == {"town": "shiqi", "address_detail": "幸福路", "phone": "1234"}
    assert user.save_step(app_id, "address", ADDRESS).json()["application"]["address_detail"] == ADDRESS["address_detail"]


def test_pickup_at_a_branch(user, person, branch, error_of):
    app_id = start_self(user, person)["id"]
    error_of(user.save_step(app_id, "pickup", {"pickup_method": "branch", "branch": "NOPE"}), 422, "invalid_fields")
    body = user.save_step(app_id, "pickup", {"pickup_method": "branch", "branch": "HR01"}).json()
    assert body["application"]["branch"]["code"] == "HR01"


def test_unknown_step_is_404(user, person, error_of):
    app_id = start_self(user, person)["id"]
    error_of(user.save_step(app_id, "secrets", {"x": "y"}), 404)


# --- uploads ---------------------------------------------------------------------------------------


def test_upload_returns_the_photo_problems_at_once(user, person, jpeg):
    app_id = start_self(user, person)["id"]
    body = user.upload(app_id, "portrait", jpeg(640, 480)).json()
    assert body["kind"] == "portrait" and body["stored"] is True and body["ok"] is False
    codes = [p["code"] for p in body["problems"]]
    assert codes and all(p["message"] for p in body["problems"])
    missing = user.missing(app_id).json()["missing"]
    assert "未通过检查" in missing["portrait"]


def test_garbage_upload_is_not_an_image(user, person, error_of):
    app_id = start_self(user, person)["id"]
    error = error_of(user.upload(app_id, "portrait", b"\x00\x01\x02\x03", "a.jpg"), 422, "upload_rejected")
    assert [p["code"] for p in error["problems"]] == ["not_an_image"]


def test_upload_of_an_unknown_kind_or_without_a_file(user, person, session, error_of):
    app_id = start_self(user, person)["id"]
    error_of(user.upload(app_id, "selfie", b"x"), 422, "invalid_request")
    response = user.request("POST", f"/applications/{app_id}/uploads/portrait", body=b"",
                            content_type="multipart/form-data; boundary=none")
    assert error_of(response, 422)["errors"] == {"file": "必填"}


# --- after submission ------------------------------------------------------------------------------


def test_cannot_edit_once_a_reviewer_has_it(user, person, jpeg, photos_pass, error_of):
    # Before a reviewer takes it, photos and address may still be corrected (tests/api/test_api_correction.py).
    app_id = start_self(user, person)["id"]
    fill_in(user, app_id, jpeg)
    assert user.submit(app_id).status_code == 200
    lifecycle.perform(Application.objects.get(public_id=app_id), "start_review", actor="staff:reviewer")
    assert error_of(user.save_step(app_id, "address", ADDRESS), 409, "under_review")["message"] == "审核人员正在审核，暂时不能修改"
    error_of(user.upload(app_id, "portrait", jpeg()), 409, "under_review")
    # A submit retried now (the first answer lost) is told the acceptance number again, not refused.
    again = user.submit(app_id)
    assert again.status_code == 200
    assert again.json()["acceptance_number"] == Application.objects.get(public_id=app_id).acceptance_number


def test_submit_incomplete_lists_what_is_missing(user, person, error_of):
    app_id = start_self(user, person)["id"]
    error = error_of(user.submit(app_id), 422, "incomplete")
    assert {"address_detail", "pickup_method", "id_front", "id_back", "portrait"} <= set(error["errors"])


def test_one_pickup_change_after_approval(user, person, branch, jpeg, photos_pass, error_of):
    app_id = start_self(user, person)["id"]
    error_of(user.request_pickup_change(app_id, {"pickup_method": "branch", "branch": "HR01"}), 409,
             "pickup_change_not_now")
    fill_in(user, app_id, jpeg)
    assert user.submit(app_id).status_code == 200
    application = Application.objects.get(public_id=app_id)
    for action in ("start_review", "approve"):  # the back office's part
        lifecycle.perform(application, action, actor="test")
    error = error_of(user.request_pickup_change(app_id, {"pickup_method": "branch", "branch": "NOPE"}), 422,
                     "invalid_pickup")
    assert "branch" in error["errors"]
    response = user.request_pickup_change(app_id, {"pickup_method": "branch", "branch": "HR01"})
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "pending" and response.json()["requested"]["branch"] == "HR01"
    error_of(user.request_pickup_change(app_id, {"pickup_method": "mail", **ADDRESS}), 409, "pickup_change_used")


def test_withdraw(user, person, error_of):
    app_id = start_self(user, person)["id"]
    body = user.withdraw(app_id, "不需要了").json()
    assert body["state"] == "cancelled"
    error_of(user.withdraw(app_id), 409, "transition_not_allowed")
    # Withdrawn: a new application can be started.
    assert user.start_application().status_code == 201


def test_withdraw_without_a_body(user, person):
    app_id = start_self(user, person)["id"]
    assert user.request("POST", f"/applications/{app_id}/withdraw").json()["state"] == "cancelled"


# --- only one's own ----------------------------------------------------------------------------------


def test_someone_elses_application_is_404_everywhere(user, other_user, person, jpeg, error_of):
    app_id = start_self(user, person)["id"]
    other_user.me()  # the other user exists too
    Citizen.objects.create(phone="13912345678")
    for response in [
        other_user.application(app_id),
        other_user.save_step(app_id, "address", ADDRESS),
        other_user.upload(app_id, "portrait", jpeg()),
        other_user.missing(app_id),
        other_user.submit(app_id),
        other_user.timeline(app_id),
        other_user.request_pickup_change(app_id, {"pickup_method": "mail", **ADDRESS}),
        other_user.withdraw(app_id),
    ]:
        error_of(response, 404, "application_not_found")
    assert other_user.applications().json() == []
    assert Application.objects.get(public_id=app_id).state == "draft"


def test_counter_applications_are_not_listed(user, person):
    ApplicationFactory(person=person, channel="counter")
    user.bind_real_name(person.name, person.id_number)
    assert user.applications().json() == []


def test_unknown_paths_and_malformed_ids_answer_in_json(user, error_of):
    error_of(user.request("GET", "/nothing-here"), 404, "not_found")
    error_of(user.application("not-a-uuid"), 404, "not_found")
    error_of(user.application("00000000-0000-0000-0000-000000000000"), 404, "application_not_found")


def test_a_wrong_method_answers_in_json_and_names_the_right_ones(user, error_of):
    response = user.request("DELETE", "/me")
    body = error_of(response, 405, "method_not_allowed")
    assert {k.lower(): v for k, v in response.headers.items()}["allow"] == "GET" and "GET" in body["message"]


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/applications/{application_id}/submit" in schema["paths"]
    assert schema["components"]["securitySchemes"]
    assert client.get("/api/v1/docs").status_code == 200
