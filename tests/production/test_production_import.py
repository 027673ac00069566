"""``sscard production import-results``: cards made, failures handled, idempotent, all or nothing."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sscard.applications.constants import Kind, State
from sscard.applications.models import Application, ApplicationEvent
from sscard.applications.numbers import format_number
from sscard.cards import lifecycle as card_lifecycle
from sscard.cards.constants import CardState
from sscard.cards.models import Card, CardEvent
from sscard.production.constants import ItemResult
from sscard.production.models import BatchItem, ResultImport
from tests.factories import PersonFactory
from tests.production.conftest import failed_row, ok_row, result_csv, run_command

pytestmark = pytest.mark.django_db

CARD_ID = "0123456789ABCDEF" * 2


@pytest.fixture
def producing(approved, tmp_path):
    """``producing(n)``: n applications exported in one batch (制卡中)."""

    def make(n: int = 1, **fields) -> list[Application]:
        apps = [approved(**fields) for _ in range(n)]
        run_command("export-batch", "--out", str(tmp_path / "out"))
        for application in apps:
            application.refresh_from_db()
        return apps

    return make


def import_file(tmp_path, data: bytes, name: str = "results.csv") -> tuple[dict, int]:
    """The JSON summary and the exit code, as the shell sees them."""
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    try:
        call_command("production", "import-results", str(path), stdout=out, stderr=io.StringIO())
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return json.loads(out.getvalue()), code


def snapshot() -> tuple:
    """Everything an import could change."""
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "version")),
        Card.objects.count(), ApplicationEvent.objects.count(), ResultImport.objects.count(),
        list(BatchItem.objects.order_by("pk").values_list("result", flat=True)),
    )


def test_ok_creates_the_card_and_marks_the_application_produced(producing, tmp_path):
    (application,) = producing(1)
    summary, code = import_file(tmp_path, result_csv([ok_row(application, "B98765432", CARD_ID.lower(), "中国银行")]))
    assert (summary, code) == ({"applied": 1, "unchanged": 0, "errors": []}, 0)
    application.refresh_from_db()
    assert application.state == State.PRODUCED
    card = Card.objects.get()
    assert (card.card_number, card.card_id, card.bank, card.state) == ("B98765432", CARD_ID, "中国银行",
                                                                       CardState.INACTIVE)
    assert card.application == application and card.person_id == application.person_id
    assert CardEvent.objects.get(card=card).action == "issue"
    item = BatchItem.objects.get(application=application)
    assert (item.result, item.card) == (ItemResult.OK, card)


def test_photo_unusable_returns_the_application_with_the_portrait_reason_and_tip(producing, tmp_path):
    (application,) = producing(1)
    summary, _ = import_file(tmp_path, result_csv([failed_row(application, "photo_unusable")]))
    assert summary["applied"] == 1
    application.refresh_from_db()
    assert application.state == State.RETURNED
    failed, returned = application.events.order_by("pk")[len(application.events.all()) - 2:]
    assert (failed.action, failed.data["failure"]) == ("production_failed", "photo_unusable")
    assert returned.action == "return_after_failure"
    # The shape review.decisions.return_for_correction writes: the citizen's page reads either the same way.
    assert returned.data["parts"] == ["portrait"]
    (reason,) = returned.data["return_reasons"]
    assert set(reason) == {"code", "title", "citizen_text", "fix_tip", "part"}
    assert reason["part"] == "portrait" and "重新拍摄" in reason["fix_tip"]
    assert returned.reason == reason["title"]
    assert BatchItem.objects.get(application=application).result == ItemResult.FAILED


def test_other_failures_wait_as_production_failed_for_the_next_batch(producing, tmp_path):
    data_error, other = producing(2)
    rows = [failed_row(data_error, "data_error"), failed_row(other, "chip_fault")]
    assert import_file(tmp_path, result_csv(rows))[0]["applied"] == 2
    for application in (data_error, other):
        application.refresh_from_db()
        assert application.state == State.PRODUCTION_FAILED
    assert data_error.events.last().reason == "制卡数据有误"
    assert "chip_fault" in other.events.last().reason
    assert run_command("export-batch", "--out", str(tmp_path / "again"))["count"] == 2


def test_the_same_file_twice_changes_nothing_the_second_time(producing, tmp_path):
    a, b, c = producing(3)
    data = result_csv([ok_row(a), failed_row(b, "photo_unusable"), failed_row(c, "data_error")])
    assert import_file(tmp_path, data)[0] == {"applied": 3, "unchanged": 0, "errors": []}
    before = snapshot()
    assert import_file(tmp_path, data, "again.csv") == ({"applied": 0, "unchanged": 3, "errors": []}, 0)
    assert snapshot() == before


def test_rows_already_in_effect_are_unchanged_in_another_file_too(producing, tmp_path):
    a, b = producing(2)
    import_file(tmp_path, result_csv([ok_row(a), failed_row(b, "photo_unusable")]))
    before = snapshot()
    # The same results, written again in another order (another file): still nothing to do.
    summary, code = import_file(tmp_path, result_csv([failed_row(b, "photo_unusable"), ok_row(a)]), "resent.csv")
    assert (summary, code) == ({"applied": 0, "unchanged": 2, "errors": []}, 0)
    assert snapshot()[:3] == before[:3]


DAMAGED = {
    "not_utf8": lambda good: good.replace("中国工商银行".encode(), "中国工商银行".encode("gbk")),
    "truncated": lambda good: good[: good.rindex(b",")],
    "missing_column": lambda good: good.replace(b",reason\n", b"\n", 1),
    "ragged_row": lambda good: good.replace(b",photo_unusable", b",photo_unusable,extra"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_a_damaged_file_applies_nothing(producing, tmp_path, damage):
    a, b = producing(2)
    good = result_csv([ok_row(a), failed_row(b, "photo_unusable")])
    before = snapshot()
    summary, code = import_file(tmp_path, DAMAGED[damage](good))
    assert code == 1 and summary["applied"] == 0 and summary["errors"]
    assert all(e["reason"] for e in summary["errors"])
    assert snapshot() == before


def test_every_bad_row_is_reported_and_nothing_applied(producing, approved, tmp_path):
    a, b, c, d = producing(4)
    other = producing(1)[0]
    import_file(tmp_path, result_csv([ok_row(other, "C00000001")]), "earlier.csv")
    waiting = approved()  # approved, not in production
    rows = [
        ok_row(a, "A00000001"),                                    # 2: fine on its own
        {**ok_row(b, "A00000002"), "application_number": "ZS20260101999999" + "0"},  # 3: malformed number
        ok_row(c, "C00000001"),                                    # 4: card number already in the database
        ok_row(waiting, "A00000004"),                               # 5: not in production
        failed_row(d, "data_error"),                               # 6: fine on its own
        ok_row(d, "A00000006"),                                    # 7: duplicate application in the file
        {"application_number": format_number(datetime.date(2020, 1, 1), 1), "result": "ok",
         "card_number": "A00000007", "card_id": CARD_ID, "bank": "工行"},  # 8: unknown application
        {**ok_row(a, "A00000008"), "card_id": "12345"},             # 9: malformed card id (and duplicate a)
    ]
    before = snapshot()
    summary, code = import_file(tmp_path, result_csv(rows))
    assert code == 1 and summary["applied"] == 0 and summary["unchanged"] == 0
    lines = {e["line"]: e["reason"] for e in summary["errors"]}
    assert sorted(lines) == [3, 4, 5, 7, 8, 9]
    assert "格式不正确" in lines[3]
    assert "C00000001已被另一张卡使用" in lines[4]
    assert "不在制卡中（当前状态：审核通过）" in lines[5]
    assert "受理编号与第6行重复" in lines[7]
    assert "不存在" in lines[8]
    assert "卡识别码" in lines[9] and "受理编号与第2行重复" in lines[9]
    assert snapshot() == before


def test_a_card_number_used_twice_in_the_file_is_refused(producing, tmp_path):
    a, b = producing(2)
    summary, code = import_file(tmp_path, result_csv([ok_row(a, "A11111111"), ok_row(b, "A11111111")]))
    assert code == 1 and summary["errors"] == [{"line": 3, "reason": "社会保障卡卡号A11111111与第2行重复"}]
    assert not Card.objects.exists()


def test_a_replacement_card_voids_the_card_it_replaces(producing, tmp_path):
    person = PersonFactory()
    old = card_lifecycle.issue(actor="test", person=person, card_number="OLD000001", card_id="F" * 32, bank="工行")
    card_lifecycle.perform(old, "activate", actor="test")
    (application,) = producing(1, person=person, kind=Kind.REPLACEMENT, replaces_card=old)
    import_file(tmp_path, result_csv([ok_row(application, "NEW000001")]))
    old.refresh_from_db()
    new = Card.objects.get(card_number="NEW000001")
    assert old.state == CardState.VOID and new.state == CardState.INACTIVE and new.replaces == old
    assert old.events.last().data["new_card"] == new.pk


def test_an_unreadable_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="无法读取结果文件"):
        run_command("import-results", str(tmp_path / "missing.csv"))


def test_a_second_result_for_a_produced_application_is_refused(producing, tmp_path):
    """The maker answers twice for one application with different cards: the second file is refused."""
    (application,) = producing(1)
    import_file(tmp_path, result_csv([ok_row(application, "A22222222")]))
    summary, code = import_file(tmp_path, result_csv([ok_row(application, "A33333333")]), "second.csv")
    assert code == 1
    assert summary["errors"] == [{"line": 2, "reason":
                                  f"受理编号{application.acceptance_number}不在制卡中（当前状态：已制卡）"}]
    assert list(Card.objects.values_list("card_number", flat=True)) == ["A22222222"]
