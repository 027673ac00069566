"""Correction through the channel API: the return's reasons on the application, only the named parts, resubmission
through the submit endpoint; and corrections before a reviewer takes a submitted application."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.photos.report import Problem, Report
from sscard.review import claims, decisions
from sscard.workdays.services import add_working_days
from tests.factories import PersonFactory, StaffUserFactory
from tests.helpers import last_sms, pass_photo_checks

ADDRESS = {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}
NEW_ADDRESS = {"town": "dongqu", "address_detail": "兴中道12号3栋201"}


@pytest.fixture
def person(db):
    return PersonFactory(name="张伟")


@pytest.fixture
def reviewer(db):
    return StaffUserFactory(username="shenhe1", role="reviewer")


@pytest.fixture
def submitted_id(user, person, jpeg, monkeypatch):
    """An application filled in and submitted through the API (photos pass their checks)."""
    pass_photo_checks(monkeypatch)
    app_id = user.start_application(name=person.name, id_number=person.id_number).json()["application"]["id"]
    for step, data in (("contact", {"phone": "13812345678"}), ("address", ADDRESS), ("pickup", {"pickup_method": "mail"})):
        assert user.save_step(app_id, step, data).status_code == 200
    for kind in ("id_front", "id_back", "portrait"):
        assert user.upload(app_id, kind, jpeg()).status_code == 200
    assert user.submit(app_id).status_code == 200
    return app_id


def return_it(app_id, reviewer, codes, note=""):
    application = Application.objects.get(public_id=app_id)
    claims.claim(application, reviewer)
    decisions.return_for_correction(application, reviewer, codes, note)


def test_a_returned_application_carries_its_reasons_and_only_the_named_parts_change(
    user, submitted_id, reviewer, jpeg, error_of
):
    return_it(submitted_id, reviewer, ["portrait_background"], "照片左侧有阴影")
    body = user.application(submitted_id).json()
    assert body["state"] == "returned" and body["state_label"] == "需要补充材料"
    assert body["return_reasons"] == [{
        "code": "portrait_background", "part": "portrait",
        "text": "证件照的背景不是白色（或有杂物、阴影）。",
        "tip": "请在白墙前拍摄，或到照相馆拍白底证件照后重新上传。",
    }]
    assert body["return_note"] == "照片左侧有阴影"
    assert body["changeable_parts"] == ["portrait"] and body["editable"] is True

    error = error_of(user.upload(submitted_id, "id_front", jpeg()), 409, "part_not_requested")
    assert error["message"] == "这次只需要修改：证件照。身份证人像面不在审核意见里，不能修改"
    error_of(user.save_step(submitted_id, "address", NEW_ADDRESS), 409, "part_not_requested")
    assert user.application(submitted_id).json()["address_detail"] == ADDRESS["address_detail"]

    # Resubmitting the same photo is refused: the one the reviewer named must be uploaded again.
    error = error_of(user.submit(submitted_id), 422, "incomplete")
    assert error["errors"] == {"portrait": "请按审核意见重新上传证件照"}

    assert user.upload(submitted_id, "portrait", jpeg()).json()["ok"] is True
    Application.objects.filter(public_id=submitted_id).update(decision_due="2020-01-03")
    response = user.submit(submitted_id)
    assert response.status_code == 200, response.json()
    due = add_working_days(timezone.localdate(), 3)
    body = response.json()
    assert body["decision_due"] == due.isoformat()
    assert body["application"]["state"] == "submitted"
    assert body["application"]["return_reasons"] == [] and body["application"]["return_note"] is None
    assert f"预计{due:%m月%d日}前完成审核" in last_sms("application_accepted").body
    assert [e["label"] for e in user.timeline(submitted_id).json() if e["at"]][-1] == "补正后重新提交"


def test_before_a_reviewer_takes_it_photos_and_address_can_be_corrected(user, submitted_id, reviewer, jpeg, error_of):
    body = user.application(submitted_id).json()
    assert body["changeable_parts"] == ["portrait", "id_front", "id_back", "address", "contact"]

    response = user.save_step(submitted_id, "address", NEW_ADDRESS)
    assert response.status_code == 200 and response.json()["application"]["town"] == "dongqu"
    assert user.upload(submitted_id, "portrait", jpeg()).status_code == 200
    application = Application.objects.get(public_id=submitted_id)
    assert application.state == State.SUBMITTED
    assert [e.data["parts"] for e in application.events.filter(action="correct")] == [["address"], ["portrait"]]
    timeline = [(e["label"], e["detail"]) for e in user.timeline(submitted_id).json()]
    assert ("修改了材料（审核开始前）", "联系地址") in timeline and ("修改了材料（审核开始前）", "证件照") in timeline

    error = error_of(user.save_step(submitted_id, "pickup", {"pickup_method": "mail"}), 409, "part_not_changeable")
    assert "领卡方式请在审核通过后修改" in error["message"]

    claims.claim(application, reviewer)
    error = error_of(user.save_step(submitted_id, "address", ADDRESS), 409, "under_review")
    assert error["message"] == "审核人员正在审核，暂时不能修改"
    error_of(user.upload(submitted_id, "id_back", jpeg()), 409, "under_review")
    body = user.application(submitted_id).json()
    assert body["changeable_parts"] == [] and body["editable"] is False
    assert body["town"] == "dongqu"


def test_a_failing_photo_before_review_keeps_the_previous_one(user, submitted_id, jpeg, error_of, monkeypatch):
    monkeypatch.setattr("sscard.photos.check_portrait",
                        lambda data, **_: Report("portrait", problems=[Problem.of("background_not_white")]))
    error = error_of(user.upload(submitted_id, "portrait", jpeg()), 422, "upload_rejected")
    assert error["message"] == "这张照片未通过检查，原来的照片保持不变"
    assert "previous_kept" in [p["code"] for p in error["problems"]]
    assert not Application.objects.get(public_id=submitted_id).events.filter(action="correct").exists()


def test_the_schema_documents_the_return(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schema["ApplicationOut"]["properties"]
    assert {"return_reasons", "return_note", "changeable_parts"} <= set(fields)
    assert set(schema["ReturnReasonOut"]["properties"]) == {"code", "text", "tip", "part"}
