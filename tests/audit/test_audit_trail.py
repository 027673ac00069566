"""The audit trail: append-only everywhere (model, queryset, admin, database), masked, searchable."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sscard import audit
from sscard.audit.models import AppendOnlyError, AuditEntry
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    reviewer = StaffUserFactory(username="auditee", role="reviewer")
    return audit.record(reviewer, "review.approve", obj_kind="application", obj_id=42,
                        acceptance_number="SB202501010001", details={"reason": "材料齐全"})


def test_a_row_records_who_what_and_on_which_object(entry):
    row = AuditEntry.objects.get(pk=entry.pk)
    assert (row.username, row.role, row.action, row.obj_kind, row.obj_id, row.acceptance_number) == (
        "auditee", "reviewer", "review.approve", "application", "42", "SB202501010001")
    assert row.details == {"reason": "材料齐全"} and row.ip is None


def test_personal_data_in_details_is_masked_however_it_is_nested():
    user = StaffUserFactory(role="clerk")
    row = audit.record(user, "counter.lookup", obj_kind="person", obj_id="p1", details={
        "note": "身份证 44200019900101123X,电话13812345678", "items": [{"phone": "13912345678"}]})
    text = str(AuditEntry.objects.get(pk=row.pk).details)
    for secret in ["44200019900101123X", "13812345678", "13912345678"]:
        assert secret not in text
    assert "4420**********123X" in text and "138****5678" in text


def test_the_model_refuses_to_change_or_delete_a_row(entry):
    entry.details = {"reason": "改过了"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).details == {"reason": "材料齐全"}


def test_the_queryset_refuses_to_change_or_delete_rows(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="review.refuse")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "review.approve"


def test_a_staff_member_with_a_trail_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        entry.user.delete()


def test_the_admin_shows_rows_but_cannot_add_change_or_delete_them(client, entry):
    client.force_login(StaffUserFactory(role="admin"))
    assert "auditee" in client.get("/staff/admin/audit/auditentry/").content.decode()
    change_url = f"/staff/admin/audit/auditentry/{entry.pk}/change/"
    page = client.get(change_url).content.decode()
    assert 'name="_save"' not in page and "SB202501010001" in page
    assert client.post(change_url, {"action": "review.refuse"}).status_code == 403
    assert client.post(f"/staff/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/staff/admin/audit/auditentry/add/").status_code == 403
    response = client.post("/staff/admin/audit/auditentry/", {
        "action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists() and response.status_code in {200, 302}
    assert AuditEntry.objects.get(pk=entry.pk).action == "review.approve"


def test_postgresql_itself_rejects_update_and_delete(postgres_only, entry):
    for sql in ["UPDATE audit_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "review.approve"


# --- the supervisor's search page -------------------------------------------------------------


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def supervisor(client):
    user = StaffUserFactory(username="boss", role="supervisor")
    client.force_login(user)
    return user


def _rows(response) -> list[AuditEntry]:
    """The rows listed, leaving out the supervisor's own earlier searches (also in the trail)."""
    return [row for row in response.context["page"].object_list if row.action != "audit.search"]


def test_search_by_staff_member_action_dates_and_acceptance_number(client, supervisor):
    a = StaffUserFactory(username="a", role="reviewer")
    b = StaffUserFactory(username="b", role="clerk")
    AuditEntry.objects.create(user=a, username="a", action="review.approve", acceptance_number="N1", at=_at(10))
    AuditEntry.objects.create(user=a, username="a", action="review.refuse", acceptance_number="N2", at=_at(1))
    AuditEntry.objects.create(user=b, username="b", action="counter.handover", acceptance_number="N1", at=_at(1))

    assert {r.username for r in _rows(client.get("/staff/audit/", {"user": a.pk}))} == {"a"}
    found = _rows(client.get("/staff/audit/", {"acceptance": "N1"}))
    assert {(r.username, r.action) for r in found} == {("a", "review.approve"), ("b", "counter.handover")}
    since = timezone.localdate(_at(3)).isoformat()
    found = _rows(client.get("/staff/audit/", {"from": since, "acceptance": "N1"}))
    assert [(r.username, r.action) for r in found] == [("b", "counter.handover")]
    until = timezone.localdate(_at(5)).isoformat()
    found = _rows(client.get("/staff/audit/", {"to": until, "user": a.pk}))
    assert [r.action for r in found] == ["review.approve"]
    found = _rows(client.get("/staff/audit/", {"action": "staff.signin"}))
    assert found == []


def test_search_by_action_uses_the_registered_labels(client, supervisor):
    StaffUserFactory(username="c", role="supervisor")
    audit.record(supervisor, "staff.signout", obj_kind="user", obj_id=supervisor.pk)
    response = client.get("/staff/audit/", {"action": "staff.signout"})
    assert [r.action for r in _rows(response)] == ["staff.signout"]
    assert "退出登录" in response.content.decode()


def test_bad_filters_get_a_chinese_message_and_a_400(client, supervisor):
    for params, message in [({"from": "2025-13-01"}, "开始日期格式不正确"),
                            ({"from": "2025-02-01", "to": "2025-01-01"}, "开始日期不能晚于结束日期"),
                            ({"user": "999999"}, "所选工作人员不存在"),
                            ({"action": "no.such"}, "所选操作不存在")]:
        response = client.get("/staff/audit/", params)
        assert response.status_code == 400 and message in response.content.decode(), params


def test_the_page_is_paginated_with_a_fixed_number_of_queries(client, supervisor):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/audit/").status_code == 200
        return len(captured)

    for i in range(3):
        AuditEntry.objects.create(username="x", action="review.approve", obj_id=str(i))
    few = queries_for_page()
    for i in range(120):
        AuditEntry.objects.create(username=f"y{i}", action="review.approve", obj_id=str(i))
    assert queries_for_page() == few
    response = client.get("/staff/audit/", {"page": 3})
    assert response.context["page"].number == 3 and len(_rows(response)) > 0
    assert "第 3/3 页" in response.content.decode()


def test_searching_is_itself_recorded(client, supervisor):
    client.get("/staff/audit/", {"acceptance": "SB1"})
    row = AuditEntry.objects.get(action="audit.search")
    assert row.user == supervisor and row.acceptance_number == "SB1"
