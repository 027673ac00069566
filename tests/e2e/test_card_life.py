"""A card's whole life, end to end (issue #14), driven only the way people drive it: the operators' commands
(``sscard production …``, ``sscard logistics import``, ``sscard scheduler --once …``), the demo card maker, the
counter's services, and the citizen's own pages and channel API. Each test asserts what the citizen notices:
the state on 我的社保卡, the progress timeline, and the SMS in the outbox."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sscard.api.client import ChannelClient, DjangoTestSession
from sscard.api.models import ChannelPartner
from sscard.applications.constants import Kind, State
from sscard.applications.models import Application
from sscard.cards.constants import CardState
from sscard.cards.models import Card
from sscard.cards.services import activation, locking
from sscard.cards.services.errors import CardError
from sscard.logistics import services as logistics
from sscard.production import jobs
from sscard.production.constants import PHOTO_RETURN_REASON
from sscard.review import claims, decisions
from tests.e2e.conftest import (
    GOOD_PIN,
    PHONE,
    birthday_pin,
    export_batch,
    import_logistics,
    import_results,
    local,
    manifest,
    page,
    run,
    sms,
    sms_body,
)
from tests.factories import BranchFactory
from tests.helpers import delete_uploads, pass_photo_checks, sign_in
from tests.photo_fixtures import jpeg

pytestmark = pytest.mark.django_db

SECRET = "e2e-secret-0123456789abcdefghijklmnop"


def ok_rows(batch: dict, card_numbers: dict[str, str]) -> list[dict]:
    """The card maker's answer written from the batch's manifest: one ``ok`` row per application."""
    return [{"application_number": row["application_number"], "result": "ok",
             "card_number": card_numbers[row["application_number"]], "card_id": "89ABCDEF" * 4,
             "bank": "中国银行中山分行"} for row in manifest(batch)]


def channel_user(citizen_phone: str) -> ChannelClient:
    partner = ChannelPartner.objects.create(app_id="yss-e2e", name="粤省事", channel="yueshengshi", secret=SECRET)
    return ChannelClient("http://testserver/api/v1", partner.app_id, SECRET, DjangoTestSession(Client())).for_user(
        citizen_phone)


def scheduler_once(job: str) -> dict:
    """``sscard scheduler --once JOB --force``: the job now, whatever ran in this slot before."""
    summary = run("scheduler", "--once", job, "--force")
    assert summary["status"] == "ok", summary
    return summary["result"]


def ends_with(sent: list[str], *expected: str) -> bool:
    return sent[-len(expected):] == list(expected)


def card_of(application) -> Card:
    return Card.objects.get(application=application)


def deliver_by_mail(tmp_path, clock, card) -> None:
    """The bank receives it, the courier mails and delivers it (``sscard logistics import``)."""
    summary = import_logistics(
        tmp_path, (card.card_number, "bank_received", "", local(clock())),
        (card.card_number, "mailed", f"SF9{card.pk:012d}", local(clock())),
        (card.card_number, "delivered", f"SF9{card.pk:012d}", local(clock())),
    )
    assert summary == {"applied": 3, "unchanged": 0, "errors": []}


# --- a. mail, the demo card maker, activation online --------------------------------------------------------


def test_mailed_card_delivered_then_activated_online_after_a_refused_birthday_pin(
        client, person, citizen, approved, clock, settings, tmp_path):
    application = approved()
    assert "审核通过" in page(client, f"/apply/{application.public_id}/")

    exported = export_batch()
    assert exported["count"] == 1 and exported["file"].endswith(f"{exported['batch']}.zip")
    application.refresh_from_db()
    assert application.state == State.PRODUCING
    assert "制卡中" in page(client, "/cards/")  # before the card exists: "being made"

    # The demo card maker answers the batch in the exchange folder; the import job applies its file.
    assert jobs.simulate_job(clock()) == {"batches": 1, "rows": 1}
    assert jobs.import_job(clock())["applied"] == 1
    application.refresh_from_db()
    assert application.state == State.PRODUCED
    card = card_of(application)
    cards_page = page(client, "/cards/")
    assert "待激活" in cards_page and "已制卡，等待寄出或送往网点" in cards_page
    assert 'data-testid="activate"' not in cards_page  # not in the citizen's hands yet

    # The demo's bank and courier, one step a scheduler tick apart.
    settings.CARD_MAKER_SIMULATOR = True
    for _ in range(3):
        clock.advance(minutes=1)
        assert scheduler_once("logistics.simulate")["applied"] == 1
    application.refresh_from_db()
    assert application.state == State.DELIVERED
    timeline = page(client, f"/apply/{application.public_id}/")
    for step in ("制卡中", "市银行已签收", "已寄出", f"运单号 SF{card.pk:013d}", "已签收"):
        assert step in timeline, step
    assert ends_with(sms("application", application.pk), "card_in_production", "card_mailed", "card_delivered")
    assert f"SF{card.pk:013d}" in sms_body("application", application.pk, "card_mailed")

    # The citizen activates through the channel API: the birthday is refused with its code, then a good PIN.
    user = channel_user(PHONE)
    [listed] = user.request("GET", "/cards").json()
    assert listed["id"] == card.pk and listed["state"] == "inactive" and "activate" in listed["actions"]
    assert card.card_number not in str(listed)
    birthday = birthday_pin(person)
    refused = user.request("POST", f"/cards/{card.pk}/activate", json={"pin": birthday, "pin_confirm": birthday})
    assert refused.status_code == 422
    assert refused.json()["code"] == "pin_birthday" and "出生日期" in refused.json()["message"]
    card.refresh_from_db()
    assert card.state == CardState.INACTIVE and not card.pin_hash
    done = user.request("POST", f"/cards/{card.pk}/activate", json={"pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert done.status_code == 200 and done.json()["state"] == "active"

    assert "已激活，可正常使用" in page(client, "/cards/")
    assert sms("card", card.pk) == ["card_activated"]
    assert "激活" in sms_body("card", card.pk, "card_activated")


# --- b. branch pickup, collected and activated at the counter ------------------------------------------------


def test_branch_card_collected_and_activated_at_the_counter(client, person, citizen, approved, clerk, clock, tmp_path):
    branch = BranchFactory(code="SQ01", name="石岐人社服务窗口", address="孙文中路1号")
    application = approved(pickup_method="branch", branch=branch)

    batch = export_batch()
    assert [row["application_number"] for row in manifest(batch)] == [application.acceptance_number]
    summary = import_results(tmp_path, ok_rows(batch, {application.acceptance_number: "B20000001"}))
    assert summary == {"applied": 1, "unchanged": 0, "errors": []}
    card = card_of(application)

    summary = import_logistics(tmp_path, ("B20000001", "bank_received", "", local(clock())),
                               ("B20000001", "branch_received", "", local(clock())))
    assert summary == {"applied": 2, "unchanged": 0, "errors": []}
    application.refresh_from_db()
    assert application.state == State.AT_BRANCH
    notice = sms_body("application", application.pk, "card_at_branch")
    assert "请携带身份证到" in notice and "石岐人社服务窗口" in notice
    cards_page = page(client, "/cards/")
    assert "网点待领取：石岐人社服务窗口（孙文中路1号）" in cards_page
    assert 'data-testid="activate"' not in cards_page
    timeline = page(client, f"/apply/{application.public_id}/")
    assert "市银行已签收" in timeline and "可到网点领卡" in timeline

    # At the window: the clerk hands the card over, the holder types a PIN on the keypad.
    logistics.collect(application, clerk)
    card.refresh_from_db()
    assert card.handed_over_at is not None
    with pytest.raises(CardError) as refused:
        activation.activate_at_counter(card, clerk, birthday_pin(person), birthday_pin(person))
    assert refused.value.code == "pin_birthday"
    activation.activate_at_counter(card, clerk, GOOD_PIN, GOOD_PIN)

    card.refresh_from_db()
    assert card.state == CardState.ACTIVE
    assert card.events.order_by("-id").first().actor == "staff:guitai1"
    cards_page = page(client, "/cards/")
    assert "已激活，可正常使用" in cards_page and "在您手中" in cards_page
    assert "已领卡" in page(client, f"/apply/{application.public_id}/")
    assert sms("card", card.pk) == ["card_activated"]


# --- c. photo unusable: the citizen replaces the photo, and it goes into the next batch ----------------------


def test_photo_unusable_goes_back_to_the_citizen_and_into_the_next_batch(
        client, citizen, approved, reviewer, portrait_jpeg, monkeypatch, tmp_path):
    application = approved()
    first = export_batch()
    summary = import_results(tmp_path, [{"application_number": application.acceptance_number, "result": "failed",
                                         "reason": "photo_unusable"}])
    assert summary == {"applied": 1, "unchanged": 0, "errors": []}
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert sms("application", application.pk)[-1] == "application_returned"
    assert PHOTO_RETURN_REASON["title"] in sms_body("application", application.pk, "application_returned")

    detail = page(client, f"/apply/{application.public_id}/")
    assert PHOTO_RETURN_REASON["citizen_text"] in detail
    assert PHOTO_RETURN_REASON["fix_tip"] in detail
    correct = page(client, f"/apply/{application.public_id}/correct/")
    assert 'data-testid="upload-portrait"' in correct and 'data-testid="upload-id_front"' not in correct

    # A new photo (the checks themselves are tested in tests/photos; a real face, so the card photo can be made).
    pass_photo_checks(monkeypatch)
    response = client.post(f"/apply/{application.public_id}/upload/portrait/",
                           {"file": SimpleUploadedFile("new.jpg", portrait_jpeg, content_type="image/jpeg")},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已通过检查" in response.content.decode()
    response = client.post(f"/apply/{application.public_id}/correct/")
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert "补正后重新提交" in page(client, f"/apply/{application.public_id}/")

    claims.claim(application, reviewer)
    decisions.approve(application, reviewer)
    application.refresh_from_db()
    assert application.state == State.APPROVED

    second = export_batch()
    assert second["batch"] != first["batch"] and second["count"] == 1
    [row] = manifest(second)
    assert row["application_number"] == application.acceptance_number
    assert row["photo_sha256"] != manifest(first)[0]["photo_sha256"]  # made from the new portrait
    application.refresh_from_db()
    assert application.state == State.PRODUCING


# --- d. the 6-month lock: warnings at 30 and 7 days, the lock, the counter's unlock ---------------------------


def test_unactivated_card_is_warned_twice_locked_at_six_months_and_unlocked_at_the_counter(
        client, citizen, approved, clerk, clock, settings, tmp_path):
    application = approved()
    batch = export_batch()
    import_results(tmp_path, ok_rows(batch, {application.acceptance_number: "D30000001"}))
    card = card_of(application)
    delivered_at = clock()
    deliver_by_mail(tmp_path, clock, card)
    lock_on = (delivered_at + datetime.timedelta(days=settings.CARD_LOCK_AFTER_DAYS)).astimezone(
        datetime.timezone(datetime.timedelta(hours=8))).date()
    assert f"请在{lock_on:%Y年%m月%d日}前激活，逾期将锁定" in page(client, "/cards/")

    def daily_job_on(days: int) -> list[dict]:
        clock.advance(days=days - (clock() - delivered_at).days)
        return [scheduler_once("cards.lock_unactivated") for _ in range(2)]  # run twice: the second does nothing

    nothing = {"warned_30": 0, "warned_7": 0, "locked": 0, "skipped": 0}
    assert daily_job_on(settings.CARD_LOCK_AFTER_DAYS - 31) == [nothing, nothing]
    assert daily_job_on(settings.CARD_LOCK_AFTER_DAYS - 30) == [nothing | {"warned_30": 1}, nothing]
    assert daily_job_on(settings.CARD_LOCK_AFTER_DAYS - 7) == [nothing | {"warned_7": 1}, nothing]
    assert daily_job_on(settings.CARD_LOCK_AFTER_DAYS - 1) == [nothing, nothing]
    assert sms("card", card.pk) == ["lock_warning_30", "lock_warning_7"]
    assert f"{lock_on:%Y年%m月%d日}" in sms_body("card", card.pk, "lock_warning_7")
    assert daily_job_on(settings.CARD_LOCK_AFTER_DAYS) == [nothing | {"locked": 1}, nothing]
    assert sms("card", card.pk) == ["lock_warning_30", "lock_warning_7", "card_locked"]

    cache.clear()
    sign_in(client, PHONE)  # months later: a fresh sign-in
    cards_page = page(client, "/cards/")
    assert "已锁定（超过6个月未激活）" in cards_page and "请带身份证到任一社保卡服务网点解锁" in cards_page
    assert 'data-testid="activate"' not in cards_page
    response = client.post(f"/cards/{card.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert response.status_code == 422 and "已锁定" in response.content.decode()

    card.refresh_from_db()  # the counter looks the card up when the holder comes
    locking.unlock_at_counter(card, clerk)
    card.refresh_from_db()
    assert card.state == CardState.INACTIVE
    cards_page = page(client, "/cards/")
    assert "待激活" in cards_page and 'data-testid="activate"' in cards_page
    new_lock_on = (card.unlocked_at + datetime.timedelta(days=settings.CARD_LOCK_AFTER_DAYS)).astimezone(
        datetime.timezone(datetime.timedelta(hours=8))).date()
    assert f"请在{new_lock_on:%Y年%m月%d日}前激活" in cards_page


# --- e. loss, replacement, the old card void ------------------------------------------------------------------


def test_lost_card_is_replaced_and_the_old_card_void(
        client, citizen, approved, reviewer, portrait_jpeg, monkeypatch, clock, tmp_path):
    application = approved()
    batch = export_batch()
    import_results(tmp_path, ok_rows(batch, {application.acceptance_number: "E40000001"}))
    old = card_of(application)
    deliver_by_mail(tmp_path, clock, old)
    response = client.post(f"/cards/{old.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert response.status_code == 302

    response = client.post(f"/cards/{old.pk}/loss/", {"kind": "temporary"})
    assert response.status_code == 302
    assert "临时挂失中" in page(client, "/cards/")
    response = client.post(f"/cards/{old.pk}/loss/", {"kind": "formal", "confirm": "yes"})
    assert response.status_code == 302
    cards_page = page(client, "/cards/")
    assert "已正式挂失" in cards_page and 'data-testid="replace"' in cards_page
    assert sms("card", old.pk) == ["card_activated", "loss_reported", "loss_reported"]

    # 补换卡: a replacement application, pre-filled from the last one; the citizen adds photos and submits.
    response = client.post(f"/cards/{old.pk}/replace/")
    assert response.status_code == 302
    replacement = Application.objects.get(kind=Kind.REPLACEMENT)
    assert replacement.replaces_card_id == old.pk and replacement.state == State.DRAFT
    for field in ("phone", "town", "address_detail", "pickup_method"):
        assert getattr(replacement, field) == getattr(application, field), field
    pass_photo_checks(monkeypatch)
    for kind, data in (("portrait", portrait_jpeg), ("id_front", jpeg()), ("id_back", jpeg())):
        response = client.post(f"/apply/{replacement.public_id}/upload/{kind}/",
                               {"file": SimpleUploadedFile(f"{kind}.jpg", data, content_type="image/jpeg")},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200, kind
    response = client.post(f"/apply/{replacement.public_id}/confirm/")
    assert response.status_code == 302, response.content.decode()
    replacement.refresh_from_db()
    assert replacement.state == State.SUBMITTED
    assert "补卡申请办理中" in page(client, "/cards/")

    claims.claim(replacement, reviewer)
    decisions.approve(replacement, reviewer)
    batch = export_batch()
    assert [row["application_number"] for row in manifest(batch)] == [replacement.acceptance_number]
    assert import_results(tmp_path, ok_rows(batch, {replacement.acceptance_number: "E40000002"}))["applied"] == 1

    old.refresh_from_db()
    new = card_of(replacement)
    assert (old.state, new.state) == (CardState.VOID, CardState.INACTIVE)
    assert new.replaces_id == old.pk
    cards_page = page(client, "/cards/")
    assert "已作废" in cards_page and "待激活" in cards_page
    # Delivered, the new card is the one the citizen activates.
    deliver_by_mail(tmp_path, clock, new)
    response = client.post(f"/cards/{new.pk}/activate/", {"receipt": "yes", "pin": GOOD_PIN, "pin_confirm": GOOD_PIN})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.state == CardState.ACTIVE
    delete_uploads(replacement)
