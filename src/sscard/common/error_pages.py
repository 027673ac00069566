"""The Chinese pages (and, under /api/, the JSON) for 400, 403, 404, 405, 413, 429, 500 and 503.

Django's own handlers answer in bare English; ``sscard.urls`` points handler400/403/404/500 here, and
:class:`ErrorPageMiddleware` fills in the empty-bodied 405/413/429 (and friends) that decorators such as
``require_POST`` return. A response that already carries a body (a form re-shown with its Chinese message,
the staff 403 page) is left as it is.
"""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from sscard.common import outage

API_PREFIX = "/api/"
# The Django admin keeps its own pages.
UNTOUCHED_PREFIXES = ("/staff/admin/",)

# status → (stable code for the API, the Chinese message the API and the page's heading share)
ERRORS = {
    400: ("bad_request", "请求格式不正确"),
    403: ("forbidden", "没有权限进行这项操作"),
    404: ("not_found", "没有找到这个页面"),
    405: ("method_not_allowed", "不支持这种请求方法"),
    413: ("payload_too_large", "提交的内容太大"),
    429: ("rate_limited", "操作太频繁，请稍后再试"),
    500: ("internal_error", "系统繁忙，请稍后再试"),
    503: ("service_unavailable", "系统繁忙，暂时无法办理，请稍后再试"),
}
TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 500: "500.html",
             405: "errors/405.html", 413: "errors/413.html", 429: "errors/429.html", 503: "errors/503.html"}
# Headers the replaced response must keep: what a client needs to try again properly.
KEPT_HEADERS = ("Allow", "Retry-After")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request: HttpRequest | None, status: int) -> HttpResponse:
    """The Chinese answer for ``status``: JSON ``{code, message, errors}`` under /api/, a page elsewhere.

    400, 500 and 503 render without the request: a bad Host header or a broken database must not break
    the error page itself (the context processors read the session and the signed-in citizen).
    """
    code, message = ERRORS[status]
    if request is not None and is_api(request):
        response = JsonResponse({"code": code, "message": message, "errors": {}}, status=status,
                                json_dumps_params={"ensure_ascii": False})
    else:
        # The citizen context processor reads the session (elder mode); a request that never got one
        # (refused before the session middleware ran) renders without it.
        with_request = request if status not in (400, 500, 503) and hasattr(request, "session") else None
        # htmx swaps a 503 into the part of the page that asked: a whole page there would nest the site's layout.
        template = ("errors/503_inline.html" if status == 503 and request is not None
                    and request.headers.get("HX-Request") == "true" else TEMPLATES[status])
        body = loader.render_to_string(template, {"status": status, "message": message}, request=with_request)
        response = HttpResponse(body, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    elif status == 503:
        response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    # An over-limit form body reaches Django's handler as a SuspiciousOperation; it is a 413 to the citizen.
    return error_response(request, 413 if isinstance(exception, RequestDataTooBig) else 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    # Django calls this while handling the exception: a database that went away while a middleware read the
    # session or the citizen is a 503 "try again shortly", not a 500 (Django's own log line has the traceback).
    return error_response(request, 503 if outage.is_outage(sys.exc_info()[1]) else 500)


def csrf_failure(request, reason=""):
    """A form posted from an expired page (or with cookies off): say so, in Chinese."""
    if is_api(request):
        return error_response(request, 403)
    return HttpResponse(loader.render_to_string("403_csrf.html", {"status": 403}, request=request), status=403)


class ErrorPageMiddleware:
    """Gives an empty-bodied error response (``require_POST``'s 405, say) its Chinese page or JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if (status not in ERRORS or response.streaming or response.content
                or request.path.startswith(UNTOUCHED_PREFIXES)):
            return response
        replaced = error_response(request, status)
        for header in KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        return replaced
