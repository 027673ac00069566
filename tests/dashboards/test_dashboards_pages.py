"""The dashboards as a supervisor sees them: who may open them, the charts, the CSV, bad dates, query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from sscard.audit.models import AuditEntry
from tests.dashboards.conftest import PERIOD
from tests.dashboards.test_dashboards_figures import grow
from tests.factories import StaffUserFactory

PAGES = ["dashboards:intake", "dashboards:review", "dashboards:reviewers"]


@pytest.mark.parametrize("role", ["reviewer", "clerk", "production", "admin"])
@pytest.mark.parametrize("name", PAGES)
def test_only_supervisors_may_open_the_dashboards(client, db, role, name):
    client.force_login(StaffUserFactory(username=f"u-{role}", role=role))
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode() and "查看业务统计看板" in response.content.decode()


def test_the_csv_is_refused_to_others_too(client, db):
    client.force_login(StaffUserFactory(username="r1", role="reviewer"))
    response = client.get(reverse("dashboards:export", args=["intake", "intake_by_channel"]))
    assert response.status_code == 403


def test_signed_out_goes_to_the_staff_sign_in(client, db):
    response = client.get(reverse("dashboards:intake"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))


def test_the_staff_home_links_supervisors_to_the_dashboards(supervisor_client):
    page = supervisor_client.get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("dashboards:intake")}"' in page


@pytest.mark.parametrize("name", PAGES)
def test_supervisor_opens_every_page(supervisor_client, history, name):
    response = supervisor_client.get(reverse(name), PERIOD)
    assert response.status_code == 200


def test_intake_page_draws_the_bars_and_links_the_csv(supervisor_client, history):
    page = supervisor_client.get(reverse("dashboards:intake"), PERIOD).content.decode()
    assert "<svg" in page and "每日受理量（按渠道）" in page
    assert 'data-label="03-03" data-series="中山人社局官网" data-value="1"' in page
    assert 'data-label="石岐街道" data-value="4"' in page
    assert "共受理 7 件" in page
    csv_link = reverse("dashboards:export", args=["intake", "intake_by_channel"]) + "?from=2025-03-03&amp;to=2025-03-09"
    assert csv_link in page


def test_review_page_shows_percentiles_overdue_and_reasons(supervisor_client, history):
    page = supervisor_client.get(reverse("dashboards:review"), PERIOD).content.decode()
    assert "1.5小时" in page and "3.4小时" in page and "20秒" in page and "28秒" in page
    assert 'data-label="证件照背景不是白色" data-value="2"' in page
    assert '<strong>1</strong><span>目前仍超期未审结</span>' in page
    assert reverse("review:overdue") in page  # the review desk's list, which supervisors may open


def test_csv_export_opens_in_excel_with_chinese_headers(supervisor_client, history):
    response = supervisor_client.get(reverse("dashboards:export", args=["review", "return_reasons"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="return_reasons_20250303-20250309.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["原因代码（code）", "原因（title）", "次数（n）", "占前10项比例（share）"]
    assert rows[1:] == [["portrait_background", "证件照背景不是白色", "2", "66.7%"],
                        ["address_imprecise", "地址没有精确到门牌", "1", "33.3%"]]
    entry = AuditEntry.objects.get(action="dashboards.export")
    assert entry.obj_id == "return_reasons" and entry.details["rows"] == 2


def test_csv_of_an_export_only_table(supervisor_client, history):
    response = supervisor_client.get(reverse("dashboards:export", args=["reviewers", "reviewer_days"]), PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["日期（day）", "审核员账号（reviewer）"]
    assert rows[1] == ["2025-03-04", "alice", "1", "0", "0", "1"]


def test_unknown_tables_are_404(supervisor_client, history):
    assert supervisor_client.get(reverse("dashboards:export", args=["intake", "nope"])).status_code == 404
    assert supervisor_client.get(reverse("dashboards:export", args=["nope", "intake_by_channel"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [({"from": "2025-3-1x"}, "开始日期格式不正确"), ({"from": "2025-03-10", "to": "2025-03-01"}, "开始日期不能晚于结束日期")],
)
def test_bad_dates_get_a_chinese_message_and_400(supervisor_client, history, query, message):
    page = supervisor_client.get(reverse("dashboards:review"), query)
    assert page.status_code == 400 and message in page.content.decode()
    export = supervisor_client.get(reverse("dashboards:export", args=["review", "decisions"]), query)
    assert export.status_code == 400 and message in export.content.decode()


def count_queries(client, url, query) -> list[str]:
    """Every query the request sends (a wrapper: the debug log is reset at each request's start)."""
    seen: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)):
        assert client.get(url, query).status_code == 200
    return seen


@pytest.mark.parametrize("name", PAGES)
def test_a_page_makes_the_same_number_of_queries_at_two_sizes(supervisor_client, history, name):
    supervisor_client.get(reverse(name), PERIOD)  # warm up: session, permissions cache
    small = count_queries(supervisor_client, reverse(name), PERIOD)
    grow(history)
    large = count_queries(supervisor_client, reverse(name), PERIOD)
    assert len(small) >= 3  # at least the session, the user and the figures
    assert len(small) == len(large), large
