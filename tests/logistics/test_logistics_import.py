"""`sscard logistics import FILE.csv`: each event, idempotency, all or nothing, every bad line reported."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from sscard.applications.constants import State
from sscard.applications.models import Application
from sscard.applications.services import progress
from sscard.cards.models import Card
from sscard.delivery.constants import PickupMethod
from sscard.logistics.models import LogisticsEvent
from sscard.logistics.services import collect
from sscard.notifications.models import Notification
from tests.concurrency import run_processes
from tests.factories import BranchFactory, StaffUserFactory
from tests.logistics import import_race

pytestmark = pytest.mark.django_db

AT = "2026-03-02T10:00:00+08:00"


def run_import(path) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("logistics", "import", str(path), stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def state_of(card) -> str:
    return Application.objects.get(pk=card.application_id).state


def sms_templates(card) -> list[str]:
    refs = Notification.objects.filter(reference_kind="application", reference_id=str(card.application_id))
    return list(refs.order_by("id").values_list("template_code", flat=True))


def test_mail_path_bank_mailed_delivered(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    path = logistics_file(
        f"{card.card_number},bank_received,,2026-03-01T09:00:00+08:00",
        f"{card.card_number},mailed,SF1234567890123,2026-03-01T15:00:00+08:00",
        f"{card.card_number},delivered,,{AT}",
    )
    code, summary = run_import(path)
    assert (code, summary) == (0, {"applied": 3, "unchanged": 0, "errors": []})
    assert state_of(card) == State.DELIVERED
    card.refresh_from_db()
    # The 6-month activation clock starts at the courier's delivery time.
    assert card.handed_over_at == datetime.datetime.fromisoformat(AT)
    mailed_sms = Notification.objects.get(reference_id=str(card.application_id), template_code="card_mailed")
    assert "SF1234567890123" in mailed_sms.body
    assert sms_templates(card)[-2:] == ["card_mailed", "card_delivered"]

    labels = [entry.label for entry in progress.timeline(Application.objects.get(pk=card.application_id))]
    assert labels[-3:] == ["市银行已签收", "已寄出", "已签收"]


def test_same_file_twice_changes_nothing(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    path = logistics_file(f"{card.card_number},bank_received,,{AT}", f"{card.card_number},mailed,SF0001112223,{AT}")
    assert run_import(path) == (0, {"applied": 2, "unchanged": 0, "errors": []})
    events, sms = LogisticsEvent.objects.count(), Notification.objects.count()

    assert run_import(path) == (0, {"applied": 0, "unchanged": 2, "errors": []})
    assert (LogisticsEvent.objects.count(), Notification.objects.count()) == (events, sms)
    assert state_of(card) == State.MAILED


def test_branch_pickup_received_then_collected_at_counter(produced_card, logistics_file):
    card = produced_card(PickupMethod.BRANCH)
    code, summary = run_import(logistics_file(f"{card.card_number},branch_received,,{AT}"))
    assert (code, summary["applied"]) == (0, 1)
    application = Application.objects.get(pk=card.application_id)
    assert application.state == State.AT_BRANCH
    at_branch_sms = Notification.objects.get(reference_id=str(application.pk), template_code="card_at_branch")
    assert "请携带身份证到石岐人社服务窗口领取" in at_branch_sms.body

    collect(application, StaffUserFactory(role="clerk"))
    card.refresh_from_db()
    assert application.state == State.COLLECTED
    assert card.handed_over_at is not None


def test_delivery_failed_returns_card_to_a_branch_of_the_town_and_tells_the_citizen(produced_card, logistics_file):
    BranchFactory(code="Z900", name="东区人社服务窗口", town="dongqu")
    BranchFactory(code="A100", name="石岐合作银行网点", town="shiqi", kind="bank")
    card = produced_card(PickupMethod.MAIL, town="shiqi")
    path = logistics_file(f"{card.card_number},mailed,YT99887766,{AT}", f"{card.card_number},delivery_failed,,{AT}")
    assert run_import(path)[1]["applied"] == 2

    application = Application.objects.get(pk=card.application_id)
    assert application.state == State.AT_BRANCH
    assert application.branch.name == "石岐合作银行网点"  # the applicant's town, not the first branch in the city
    failed_sms = Notification.objects.get(reference_id=str(application.pk), template_code="card_delivery_failed")
    assert "投递未成功" in failed_sms.body and "石岐合作银行网点" in failed_sms.body
    assert [e.label for e in progress.timeline(application) if e.done][-1] == "快递投递未成功，已转到网点待领取"
    card.refresh_from_db()
    assert card.handed_over_at is None  # not in the citizen's hands yet


def test_a_bad_row_applies_nothing_and_every_bad_line_is_reported(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    branch_card = produced_card(PickupMethod.BRANCH)
    path = logistics_file(
        f"{card.card_number},bank_received,,{AT}",                # 2: fine
        f"{card.card_number},mailed,,{AT}",                       # 3: no waybill
        "ZZ0000000,bank_received,,2026-03-02T10:00:00",           # 4: unknown card
        f"{branch_card.card_number},mailed,SF5556667778,{AT}",    # 5: chose branch pickup
        f"{card.card_number},delivered,,yesterday",               # 6: not a time
        f"{card.card_number},lost,,{AT}",                         # 7: unknown event
        f"{card.card_number},delivered,,{AT}",                    # 8: not mailed yet
    )
    code, summary = run_import(path)
    assert code == 1
    assert summary["applied"] == 0
    assert [e["line"] for e in summary["errors"]] == [3, 4, 5, 6, 7, 8]
    reasons = {e["line"]: e["reason"] for e in summary["errors"]}
    assert "运单号" in reasons[3]
    assert "找不到卡号为ZZ0000000" in reasons[4]
    assert "网点自取" in reasons[5]
    assert "ISO 8601" in reasons[6]
    assert "lost" in reasons[7]
    assert "尚未寄出" in reasons[8]
    # Line 2 was fine but is not applied either.
    assert LogisticsEvent.objects.count() == 0
    assert state_of(card) == State.PRODUCED


def test_damaged_files_apply_nothing(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    good = f"{card.card_number},bank_received,,{AT}"
    truncated = logistics_file(good, f"{card.card_number},mailed,SF12")
    code, summary = run_import(truncated)
    assert code == 1 and summary["errors"] == [{"line": 3, "reason": "应有4列，实际3列（文件可能不完整）"}]

    not_utf8 = logistics_file(raw=f"card_number,event,waybill,at\n{good}\n".encode() + "中山".encode("gbk") + b",x\n")
    code, summary = run_import(not_utf8)
    assert code == 1 and summary["errors"][0]["line"] == 3 and "UTF-8" in summary["errors"][0]["reason"]

    wrong_header = logistics_file(good, header="card,event,waybill,time")
    code, summary = run_import(wrong_header)
    assert code == 1 and "标题行" in summary["errors"][0]["reason"]
    assert LogisticsEvent.objects.count() == 0


def test_conflicting_waybill_is_refused(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    assert run_import(logistics_file(f"{card.card_number},mailed,SF0000000001,{AT}"))[0] == 0
    code, summary = run_import(logistics_file(f"{card.card_number},mailed,SF0000000002,{AT}"))
    assert code == 1 and "SF0000000001" in summary["errors"][0]["reason"]
    other = produced_card(PickupMethod.MAIL)
    code, summary = run_import(logistics_file(f"{other.card_number},mailed,SF0000000001,{AT}"))
    assert code == 1 and "已用于另一张卡" in summary["errors"][0]["reason"]


def test_header_columns_in_any_order_and_local_time_without_offset(produced_card, logistics_file):
    card = produced_card(PickupMethod.MAIL)
    path = logistics_file(f"2026-03-02 08:30:00,{card.card_number},,bank_received", header="at,card_number,waybill,event")
    assert run_import(path) == (0, {"applied": 1, "unchanged": 0, "errors": []})
    event = LogisticsEvent.objects.get()
    assert event.at == datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC)  # 08:30 in Zhongshan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_have_one_effect(postgres_only, produced_card, logistics_file):
    cards = [produced_card(PickupMethod.MAIL) for _ in range(3)]
    lines = [f"{c.card_number},mailed,SF{c.pk:010d},{AT}" for c in cards]
    lines += [f"{c.card_number},delivered,,{AT}" for c in cards]
    path = logistics_file(*lines)
    results = run_processes(import_race.run_import, [(connection.settings_dict["NAME"], str(path))] * 2)
    assert sorted((r["applied"], r["unchanged"], len(r["errors"])) for r in results) == [(0, 6, 0), (6, 0, 0)]
    assert Card.objects.filter(handed_over_at__isnull=False).count() == 3
    assert Notification.objects.filter(template_code="card_mailed").count() == 3
