"""Every error the API returns has one shape: ``{"code", "message", "errors"}``.

``code`` is stable (partners branch on it), ``message`` is Chinese (partners may show it as is),
``errors`` maps a field to a Chinese message. Each refused request is logged once, as
``api_refused reason=<code> status=<n> app_id=<id>`` and nothing personal.
"""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sscard.api import signing
from sscard.common import error_pages, outage
from sscard.common.errors import Refusal
from sscard.common.statemachine import TransitionNotAllowed

log = logging.getLogger("sscard.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, errors: dict | None = None, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.extra = extra


# What each refusal by the signing layer says to the partner's developers.
AUTH_MESSAGES = {
    "missing_headers": (401, "请求缺少签名信息（X-Sscard-App-Id、X-Sscard-Timestamp、X-Sscard-Nonce、X-Sscard-Signature）"),
    "unknown_app": (401, "App ID 不存在或已停用"),
    "bad_timestamp": (401, "时间戳格式不正确，应为Unix秒数"),
    "expired_timestamp": (401, "请求时间戳与服务器时间相差超过5分钟，请校准时间后重新签名"),
    "bad_nonce": (401, "随机串格式不正确，应为16到64位字母、数字、下划线或连字符"),
    "bad_signature": (401, "签名不正确"),
    "replayed_nonce": (401, "随机串已使用过，请求不能重放"),
    "bad_content_length": (400, "Content-Length 不正确"),
    "payload_too_large": (413, "请求内容太大"),
    "rate_limited": (429, "请求太频繁，请稍后再试"),
}


def auth_error(reason: str) -> ApiError:
    status, message = AUTH_MESSAGES[reason]
    return ApiError(status, reason, message)


# JourneyError codes that mean "not now, given the state of things" rather than "fix your input".
CONFLICT_CODES = frozenset({
    "not_editable", "pickup_change_not_now", "pickup_change_used", "family_limit", "already_decided",
    "application_exists", "under_review", "part_not_requested", "part_not_changeable",
})
FORBIDDEN_CODES = frozenset({"realname_required"})

STATUS_CODES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthorized", "请求未通过签名验证"),
    403: ("forbidden", "没有权限进行这项操作"),
    404: ("not_found", "没有找到"),
    405: ("method_not_allowed", "不支持这种请求方法"),
    409: ("conflict", "当前状态下不能进行这项操作"),
    413: ("payload_too_large", "请求内容太大"),
    422: ("invalid_request", "请求内容有误"),
    429: ("rate_limited", "请求太频繁，请稍后再试"),
}


def _app_id_for_log(request: HttpRequest) -> str:
    partner = getattr(request, "channel_partner", None)
    if partner is not None:
        return partner.app_id
    raw = request.headers.get(signing.HEADER_APP_ID, "")
    if not raw:
        return "-"
    return raw if signing.APP_ID_RE.fullmatch(raw) else "invalid"


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   errors: dict | None = None, **extra) -> HttpResponse:
    log.info("api_refused reason=%s status=%s app_id=%s path=%s", code, status, _app_id_for_log(request),
             request.resolver_match.route if request.resolver_match else "-")
    body = {"code": code, "message": message, "errors": errors or {}, **extra}
    response = api.create_response(request, body, status=status)
    if status in (429, 503):
        response["Retry-After"] = "60"
    return response


# --- pydantic validation errors, in Chinese ---------------------------------------------------------

def _field_name(loc: tuple) -> str:
    # ("body", "payload", "phone") → "phone"; ("path", "kind") → "kind"; ("body", "payload") → "_body"
    parts = [str(p) for p in loc[1:] if p not in ("payload",)]
    return ".".join(parts) or "_body"


def chinese_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "必填"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return f"至少{ctx.get('min_length')}个字符"
    if kind in ("string_type", "string_unicode"):
        return "应为文字"
    if kind in ("bool_type", "bool_parsing"):
        return "应为 true 或 false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "应为整数"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return f"取值无效，可选：{expected}" if expected else "取值无效"
    if kind.startswith("uuid"):
        return "编号格式不正确"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "应为JSON对象"
    if kind == "json_invalid":
        return "不是有效的JSON"
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return "不认识这个字段"
    return "格式不正确"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        return error_response(api, request, exc.status, exc.code, exc.message, exc.errors, **exc.extra)

    # Every domain's refusal (the journey's, real-name binding's) answers the same way.
    @api.exception_handler(Refusal)
    def on_refusal(request, exc: Refusal):
        status = 409 if exc.code in CONFLICT_CODES else 403 if exc.code in FORBIDDEN_CODES else 422
        return error_response(api, request, status, exc.code, exc.message, {str(k): str(v) for k, v in exc.errors.items()})

    @api.exception_handler(TransitionNotAllowed)
    def on_transition(request, exc: TransitionNotAllowed):
        return error_response(api, request, 409, "transition_not_allowed", exc.message)

    @api.exception_handler(ValidationError)
    def on_validation(request, exc: ValidationError):
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(tuple(error.get("loc", ()))), chinese_message(error))
        return error_response(api, request, 422, "invalid_request", "请求内容有误，请按接口说明核对字段", errors)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return error_response(api, request, 401, "unauthorized", STATUS_CODES[401][1])

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        status = exc.status_code
        code, message = STATUS_CODES.get(status, ("bad_request", "请求格式不正确"))
        if status == 400 and "parse request body" in exc.message:
            code, message = "invalid_json", "请求内容不是有效的JSON"
        return error_response(api, request, status, code, message)

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return error_response(api, request, 400, "invalid_multipart", "上传内容格式不正确，请使用 multipart/form-data")

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):
        # Too many fields or files, a body over the limit, a malformed header: never a 500.
        return error_response(api, request, 400, "bad_request", "请求格式不正确")

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return error_response(api, request, 404, "not_found", "没有找到")

    def on_outage(request, exc):
        # The database away: "try again shortly" (503, Retry-After), not a crash; logged once with the traceback.
        log.error("database_unavailable type=%s app_id=%s", type(exc).__name__, _app_id_for_log(request), exc_info=exc)
        code, message = error_pages.ERRORS[503]
        response = api.create_response(request, {"code": code, "message": message, "errors": {}}, status=503)
        response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
        return response

    for error in outage.OUTAGE_ERRORS:
        api.add_exception_handler(error, on_outage)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        # Only the type: the exception text may quote personal data.
        log.error("api_error type=%s app_id=%s", type(exc).__name__, _app_id_for_log(request), exc_info=exc)
        body = {"code": "internal_error", "message": "系统繁忙，请稍后再试", "errors": {}}
        return api.create_response(request, body, status=500)
