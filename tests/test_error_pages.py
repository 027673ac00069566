"""Every error status a citizen or partner can meet answers in Chinese: a page in the site's layout saying what
happened, what to do next and when 12333 answers; under /api/ the API's JSON shape ``{code, message, errors}``."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from sscard.api import signing
from sscard.api.models import ChannelPartner
from sscard.api.routers import reference
from sscard.applications import views as application_views
from sscard.common.error_pages import ErrorPageMiddleware, server_error

pytestmark = pytest.mark.django_db

HOURS = "12333（工作日 9:00–12:00、13:30–17:00）"
SECRET = "test-secret-0123456789abcdefghijklmnop"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters and API nonces live there
    yield
    cache.clear()


def page(response, status: int, heading: str, next_step: str) -> str:
    text = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'data-status="{status}"' in text
    assert heading in text
    assert next_step in text
    assert HOURS in text
    assert 'href="/"' in text and "返回首页" in text
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "Method Not Allowed"):
        assert english not in text
    return text


def broken(exc: Exception):
    def raise_it(*args, **kwargs):
        raise exc
    return raise_it


def test_unknown_address_gets_the_chinese_404():
    page(Client().get("/no-such-page/"), 404, "页面不存在（404）", "查询办理进度")


def test_a_bad_host_header_gets_the_chinese_400():
    page(Client().get("/", HTTP_HOST="evil.example"), 400, "请求有误（400）", "请回到首页重新进入")


def test_an_expired_form_gets_the_chinese_403():
    response = Client(enforce_csrf_checks=True).post("/progress/", {"name": "张三", "id_number": "x"})
    page(response, 403, "页面已过期（403）", "刷新后重新填写提交")


def test_a_forbidden_action_gets_the_chinese_403(monkeypatch):
    monkeypatch.setattr(application_views.queries, "public_lookup", broken(PermissionDenied()))
    response = Client().post("/progress/", {"name": "张三", "id_number": "442000199001011234"})
    page(response, 403, "没有权限（403）", "请确认已用本人手机号登录")


def test_a_wrong_method_gets_the_chinese_405_and_keeps_allow():
    response = Client().get("/staff/review/next/")  # a button's address, opened as a link
    page(response, 405, "操作方式不正确（405）", "从页面上的按钮或链接重新进入")
    assert response["Allow"] == "POST"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_over_limit_form_gets_the_chinese_413():
    response = Client().post("/progress/", {"name": "张" * 2000, "id_number": "442000199001011234"})
    page(response, 413, "提交的内容太大（413）", "换一张较小的照片")


def test_too_many_lookups_get_the_rate_limit_message_in_the_site_layout():
    client = Client()
    for _ in range(20):
        client.post("/progress/", {"name": "张三", "id_number": "442000199001011234"})
    response = client.post("/progress/", {"name": "张三", "id_number": "442000199001011234"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "查询太频繁" in text and "12333" in text


def test_an_empty_429_gets_the_chinese_page():
    # Where a view answers a bare 429 (no page of its own), the middleware supplies it.

    response = ErrorPageMiddleware(lambda request: HttpResponse(status=429))(RequestFactory().post("/progress/"))
    page(response, 429, "操作太频繁（429）", "请稍等一会儿")
    assert response["Retry-After"] == "60"


@override_settings(DEBUG=False)
def test_a_crash_gets_the_chinese_500(monkeypatch):
    monkeypatch.setattr(application_views.queries, "public_lookup", broken(RuntimeError("boom")))
    client = Client(raise_request_exception=False)
    response = client.post("/progress/", {"name": "张三", "id_number": "442000199001011234"})
    text = page(response, 500, "系统繁忙（500）", "请稍等几分钟后再试")
    assert "boom" not in text


def test_the_500_page_renders_with_no_request_and_no_database(django_assert_num_queries):

    with django_assert_num_queries(0):
        page(server_error(RequestFactory().get("/")), 500, "系统繁忙（500）", "请稍等几分钟后再试")


# --- the API: the same statuses in its JSON shape ------------------------------------------------------

@pytest.fixture
def partner():
    return ChannelPartner.objects.create(app_id="yss-test", name="粤省事（测试）", channel="yueshengshi", secret=SECRET)


def signed_get(path: str, partner: ChannelPartner):
    headers = signing.signed_headers(partner.app_id, SECRET, "GET", path)
    return Client(raise_request_exception=False).get(path, headers=headers)


def api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code
    assert set(body) >= {"code", "message", "errors"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]
    return body


def test_api_unknown_address_is_a_json_404(partner):
    api_error(signed_get("/api/v1/no-such-thing", partner), 404, "not_found")


def test_api_outside_the_versioned_prefix_is_a_json_404():
    api_error(Client().get("/api/no-such-version/towns"), 404, "not_found")


def test_api_wrong_method_is_a_json_405():
    response = Client().delete("/api/v1/towns")
    api_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_api_oversized_body_is_a_json_413(partner):
    headers = signing.signed_headers(partner.app_id, SECRET, "POST", "/api/v1/eligibility", body=b"{}")
    response = Client().generic("POST", "/api/v1/eligibility", data=b"{}", content_type="application/json",
                                headers=headers, CONTENT_LENGTH=str(300 * 1024))
    api_error(response, 413, "payload_too_large")


def test_api_too_many_requests_is_a_json_429(partner):
    partner.rate_limit_per_minute = 1
    partner.save()
    assert signed_get("/api/v1/towns", partner).status_code == 200
    response = signed_get("/api/v1/towns", partner)
    api_error(response, 429, "rate_limited")
    assert response["Retry-After"] == "60"


def test_api_crash_is_a_json_500(partner, monkeypatch):
    monkeypatch.setattr(reference.branch_queries, "active_branches", broken(RuntimeError("boom")))
    body = api_error(signed_get("/api/v1/branches", partner), 500, "internal_error")
    assert "boom" not in json.dumps(body)


@override_settings(DEBUG=False)
def test_api_crash_outside_the_api_handlers_is_a_json_500():

    api_error(server_error(RequestFactory().get("/api/v1/towns")), 500, "internal_error")


# --- the database away: 503 "try again shortly", never the 500 crash page ------------------------------

OUTAGE = OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


@override_settings(DEBUG=False)
def test_a_lost_database_in_a_view_gets_the_chinese_503_logged_once(monkeypatch, caplog):
    monkeypatch.setattr(application_views.queries, "public_lookup", broken(OUTAGE))
    response = Client(raise_request_exception=False).post(
        "/progress/", {"name": "张三", "id_number": "442000199001011234"})
    page(response, 503, "系统繁忙，暂时无法办理（503）", "请稍等一两分钟后再试")
    assert response["Retry-After"] == "30"
    logged = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert len(logged) == 1 and logged[0].getMessage().startswith("database_unavailable type=OperationalError")


@override_settings(DEBUG=False)
def test_a_lost_database_before_the_view_gets_the_chinese_503(monkeypatch):
    # The session is read by a middleware (the signed-in citizen), before any view runs.
    monkeypatch.setattr(SessionStore, "load", broken(OUTAGE))
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/apply/")
    page(response, 503, "系统繁忙，暂时无法办理（503）", "请稍等一两分钟后再试")
    assert response["Retry-After"] == "30"


def test_the_503_page_renders_with_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError:
            response = server_error(RequestFactory().get("/"))
    page(response, 503, "系统繁忙，暂时无法办理（503）", "请稍等一两分钟后再试")


def test_api_lost_database_is_a_json_503(partner, monkeypatch):
    monkeypatch.setattr(reference.branch_queries, "active_branches", broken(OUTAGE))
    response = signed_get("/api/v1/branches", partner)
    body = api_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == "30" and "127.0.0.1" not in json.dumps(body)


@override_settings(DEBUG=False)
def test_an_htmx_request_gets_the_503_as_a_message_to_swap_in(monkeypatch):
    monkeypatch.setattr(SessionStore, "load", broken(OUTAGE))
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.post("/login/code/", {"phone": "13812345678"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "系统繁忙，暂时无法办理（503）" in text and "12333" in text
    assert "<html" not in text and "<footer" not in text  # the message alone, not a page inside the page
