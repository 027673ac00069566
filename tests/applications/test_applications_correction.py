"""Correction (补正) on the citizen's side: the reviewer's reasons on the page, fixing exactly the named parts,
resubmitting; and correcting a submitted application before a reviewer takes it."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from sscard.accounts.models import Citizen
from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.applications.services import drafts, progress, submission, uploads
from sscard.applications.services.errors import JourneyError
from sscard.photos.report import Problem, Report
from sscard.review import autoreview, claims, decisions
from sscard.review.models import AutoReview
from sscard.workdays.services import add_working_days
from tests.applications.correction_race import race_claim_or_correct
from tests.concurrency import run_processes
from tests.factories import ApplicationFactory, PersonFactory, StaffUserFactory
from tests.helpers import last_sms, pass_photo_checks, sign_in
from tests.photo_fixtures import jpeg
from tests.review.conftest import add_uploads

pytestmark = pytest.mark.django_db

ADDRESS = {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}
NEW_ADDRESS = {"town": "dongqu", "address_detail": "兴中道12号3栋201"}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def person():
    return PersonFactory(name="黎明")


@pytest.fixture
def citizen_client(client, person):
    sign_in(client)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    return client


@pytest.fixture
def citizen(citizen_client):
    return Citizen.objects.get()


@pytest.fixture
def reviewer():
    return StaffUserFactory(username="shenhe1", role="reviewer")


@pytest.fixture
def passing_photos(monkeypatch):
    pass_photo_checks(monkeypatch)


def submitted_for(citizen, person, **fields) -> Application:
    """The citizen's application with its photos (all passed), submitted."""
    application = ApplicationFactory(person=person, account=citizen, **fields)
    add_uploads(application)
    lifecycle.perform(application, "submit", actor=f"citizen:{citizen.pk}")
    return application


def returned_for(citizen, person, reviewer, codes, note="") -> Application:
    application = submitted_for(citizen, person)
    claims.claim(application, reviewer)
    decisions.return_for_correction(application, reviewer, codes, note)
    application.refresh_from_db()
    assert application.state == State.RETURNED
    return application


def photo(name="portrait.jpg"):
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def page(client, application, path="") -> str:
    response = client.get(f"/apply/{application.public_id}/{path}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def failing_portrait(monkeypatch):
    monkeypatch.setattr("sscard.photos.check_portrait",
                        lambda data, **_: Report("portrait", problems=[Problem.of("background_not_white")]))


# --- returned: the reasons, exactly the named parts, resubmission ------------------------------------


def test_returned_fix_the_named_photo_and_resubmit(citizen_client, citizen, person, reviewer, passing_photos):
    application = returned_for(citizen, person, reviewer, ["portrait_background"], "照片左侧有阴影")
    assert "证件照背景不是白色" in last_sms("application_returned").body  # the SMS names the reason

    detail = page(citizen_client, application)
    assert "证件照的背景不是白色（或有杂物、阴影）。" in detail
    assert "怎么改：请在白墙前拍摄，或到照相馆拍白底证件照后重新上传。" in detail
    assert "审核人员的说明：照片左侧有阴影" in detail
    assert f"/apply/{application.public_id}/correct/" in detail

    # Elder mode shows the same reasons in large type (the page's elder class).
    citizen_client.post("/elder-mode/", {"next": "/"})
    elder = page(citizen_client, application)
    assert 'class="elder"' in elder and "怎么改：请在白墙前拍摄" in elder

    correct = page(citizen_client, application, "correct/")
    assert 'data-testid="upload-portrait"' in correct
    for other in ("upload-id_front", "upload-id_back", "edit-address", "edit-contact", "edit-pickup"):
        assert other not in correct

    # Resubmitting before the named photo was replaced is refused, saying what is still to do.
    response = citizen_client.post(f"/apply/{application.public_id}/correct/")
    assert response.status_code == 400
    assert "请按审核意见重新上传证件照" in response.content.decode()

    response = citizen_client.post(f"/apply/{application.public_id}/upload/portrait/", {"file": photo()},
                                   HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已通过检查" in response.content.decode()

    Application.objects.filter(pk=application.pk).update(decision_due=datetime.date(2020, 1, 3))
    response = citizen_client.post(f"/apply/{application.public_id}/correct/")
    assert response.status_code == 302 and response["Location"] == f"/apply/{application.public_id}/"
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    due = add_working_days(timezone.localdate(), 3)
    assert application.decision_due == due
    assert application.events.last().action == "resubmit"
    sms = last_sms("application_accepted")
    assert f"预计{due:%m月%d日}前完成审核" in sms.body and application.acceptance_number in sms.body
    followed = page(citizen_client, application)
    assert f"已重新提交，预计{due.year}年{due.month}月{due.day}日前完成审核" in followed
    assert "补正后重新提交" in followed
    assert "审核人员请您补正以下内容" not in followed


def test_a_part_the_reviewer_did_not_name_cannot_be_changed(citizen_client, citizen, person, reviewer, passing_photos):
    application = returned_for(citizen, person, reviewer, ["portrait_blurred"])
    base = f"/apply/{application.public_id}"

    response = citizen_client.post(f"{base}/upload/id_front/", {"file": photo()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "这次只需要修改：证件照。身份证人像面不在审核意见里，不能修改" in response.content.decode()

    response = citizen_client.post(f"{base}/address/", NEW_ADDRESS)
    assert response.status_code == 409
    assert "联系地址不在审核意见里，不能修改" in response.content.decode()
    response = citizen_client.get(f"{base}/address/")
    assert response.status_code == 302 and response["Location"] == f"{base}/correct/"
    # The old "upload everything" and "confirm" steps lead to the correction page, too.
    assert citizen_client.get(f"{base}/uploads/")["Location"] == f"{base}/correct/"

    application.refresh_from_db()
    assert (application.town, application.address_detail) == (ADDRESS["town"], ADDRESS["address_detail"])
    assert application.uploads.get(kind="id_front").file.name == "uploads/test/id_front.jpg"


def test_an_id_card_reason_offers_both_sides_and_an_address_reason_the_address_step(
    citizen_client, citizen, person, reviewer, passing_photos
):
    application = returned_for(citizen, person, reviewer, ["id_expired", "address_imprecise"])
    correct = page(citizen_client, application, "correct/")
    for offered in ("upload-id_front", "upload-id_back", "edit-address"):
        assert offered in correct
    assert "upload-portrait" not in correct and "edit-contact" not in correct

    base = f"/apply/{application.public_id}"
    step = page(citizen_client, application, "address/")
    assert "返回补正页" in step and "保存修改" in step
    response = citizen_client.post(f"{base}/address/", NEW_ADDRESS)
    assert response.status_code == 302 and response["Location"] == f"{base}/correct/"
    application.refresh_from_db()
    assert application.address_detail == NEW_ADDRESS["address_detail"]
    assert application.state == State.RETURNED  # nothing is sent back until the citizen resubmits

    # id_expired names the back: the back must be uploaded again, the front may be.
    assert submission.missing_for_submission(application) == {"id_back": "请按审核意见重新上传身份证国徽面"}


def test_other_lets_the_citizen_correct_anything_and_the_timeline_names_the_reasons(citizen, person, reviewer):
    application = returned_for(citizen, person, reviewer, ["portrait_head", "other"], "请穿深色上衣")
    # "Other" lets the citizen correct anything: the note says what.
    assert submission.offered_parts(application) == ["portrait", "id_front", "id_back", "address", "contact", "pickup"]
    [returned] = [e for e in progress.timeline(application) if e.label == "需要补充材料"]
    assert returned.detail == "头部有遮挡或没有正对镜头；其他问题"


# --- submitted, not yet claimed: correct without withdrawing -------------------------------------------


def test_a_new_photo_before_review_is_recorded_and_checked_again(
    citizen_client, citizen, person, monkeypatch, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(person=person, account=citizen)
    add_uploads(application, failing={"portrait": [Problem.of("background_not_white").to_dict()]})
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(application, "submit", actor="citizen:1")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED  # the machine left it to a human: the portrait failed
    due, sms_before = application.decision_due, last_sms()

    detail = page(citizen_client, application)
    assert "更换照片或修改地址（审核开始前）" in detail
    correct = page(citizen_client, application, "correct/")
    assert "不用撤销申领" in correct
    for offered in ("upload-portrait", "upload-id_front", "upload-id_back", "edit-address", "edit-contact"):
        assert offered in correct
    assert "edit-pickup" not in correct and 'data-testid="resubmit"' not in correct

    pass_photo_checks(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(f"/apply/{application.public_id}/upload/portrait/", {"file": photo()},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    application.refresh_from_db()
    correction_event = application.events.get(action="correct")
    assert (correction_event.from_state, correction_event.to_state) == (State.SUBMITTED, State.SUBMITTED)
    assert correction_event.data == {"parts": ["portrait"]}
    assert correction_event.actor == f"citizen:{citizen.pk}"
    # The machine checked again, on the new photo, and this time approved; the due date was not restarted.
    assert AutoReview.objects.get(submission_event=correction_event).approved
    assert application.state == State.APPROVED and application.decision_due == due
    assert last_sms().pk != sms_before.pk and last_sms().template_code == "application_approved"
    labels = [(e.label, e.detail) for e in progress.timeline(application)]
    assert ("修改了材料（审核开始前）", "证件照") in labels


def test_an_address_correction_before_review(citizen_client, citizen, person):
    application = submitted_for(citizen, person)
    base = f"/apply/{application.public_id}"
    response = citizen_client.post(f"{base}/address/", NEW_ADDRESS)
    assert response.status_code == 302 and response["Location"] == f"{base}/correct/"
    application.refresh_from_db()
    assert (application.town, application.state) == ("dongqu", State.SUBMITTED)
    assert [e.data for e in application.events.filter(action="correct")] == [{"parts": ["address"]}]

    # The same address again changes nothing and records nothing; a bad one is refused with the reason.
    assert citizen_client.post(f"{base}/address/", NEW_ADDRESS).status_code == 302
    response = citizen_client.post(f"{base}/address/", {"town": "dongqu", "address_detail": "兴中道"})
    assert response.status_code == 400 and "门牌" in response.content.decode()
    assert application.events.filter(action="correct").count() == 1
    application.refresh_from_db()
    assert application.address_detail == NEW_ADDRESS["address_detail"]
    # The way of pickup is not for now: it has its own change after approval.
    with pytest.raises(JourneyError) as caught:
        drafts.save_step(application, "pickup", {"pickup_method": "branch"})
    assert caught.value.code == "part_not_changeable"


def test_a_failing_photo_before_review_keeps_the_previous_one(citizen, person, monkeypatch):
    application = submitted_for(citizen, person)
    failing_portrait(monkeypatch)
    result = uploads.attach_upload(application, "portrait", jpeg(), actor="citizen:1")
    assert result.upload is None and not result.ok
    assert [p["code"] for p in result.problems] == ["background_not_white", "previous_kept"]
    assert application.uploads.get(kind="portrait").file.name == "uploads/test/portrait.jpg"
    assert not application.events.filter(action="correct").exists()


def test_once_a_reviewer_has_it_nothing_can_be_changed(citizen_client, citizen, person, reviewer, passing_photos):
    application = submitted_for(citizen, person)
    stale_copy = Application.objects.get(pk=application.pk)  # the citizen's page, opened before the claim
    claims.claim(application, reviewer)

    with pytest.raises(JourneyError) as caught:
        drafts.save_step(stale_copy, "address", NEW_ADDRESS, actor="citizen:1")
    assert (caught.value.code, caught.value.message) == ("under_review", "审核人员正在审核，暂时不能修改")
    application.refresh_from_db()
    assert application.state == State.REVIEWING and application.address_detail == ADDRESS["address_detail"]
    assert not application.events.filter(action="correct").exists()

    base = f"/apply/{application.public_id}"
    response = citizen_client.post(f"{base}/upload/portrait/", {"file": photo()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "审核人员正在审核，暂时不能修改" in response.content.decode()
    response = citizen_client.post(f"{base}/address/", NEW_ADDRESS)
    assert response.status_code == 409 and "审核人员正在审核，暂时不能修改" in response.content.decode()
    assert "审核人员正在审核，暂时不能修改" in page(citizen_client, application)
    assert 'data-testid="upload-portrait"' not in page(citizen_client, application, "correct/")


def test_after_the_machine_approved_a_stale_correction_is_refused(citizen, person):
    application = submitted_for(citizen, person)
    stale_copy = Application.objects.get(pk=application.pk)
    assert autoreview.run(application.pk) == "approved"
    with pytest.raises(JourneyError) as caught:
        drafts.save_step(stale_copy, "address", NEW_ADDRESS, actor="citizen:1")
    assert caught.value.code == "not_editable" and "审核通过" in caught.value.message


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_correction_racing_a_claim_is_either_recorded_before_it_or_refused(postgres_only, round_):
    StaffUserFactory(username="shenhe1", role="reviewer")
    application = ApplicationFactory(submitted=True)
    name = connection.settings_dict["NAME"]
    outcomes = dict(run_processes(race_claim_or_correct, [(name, application.pk, w) for w in ("reviewer", "citizen")]))
    application.refresh_from_db()
    assert outcomes["reviewer"] == "done" and application.state == State.REVIEWING
    actions = list(application.events.filter(action__in=["correct", "start_review"]).values_list("action", flat=True))
    if outcomes["citizen"] == "done":
        assert actions == ["correct", "start_review"] and application.town == "dongqu"
    else:
        assert outcomes["citizen"] == "under_review"
        assert actions == ["start_review"] and application.town == ADDRESS["town"]
