"""The NinjaAPI instance: ``path("api/v1/", api.urls)`` in ``sscard.urls``.

OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs; the signing guide is docs/api.md.
"""

from __future__ import annotations

import functools

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from sscard.api import errors
from sscard.api.routers import applications, cards, fallback, reference

DESCRIPTION = """中山市第三代社会保障卡 渠道接口，供粤省事小程序、中山人社公众号等渠道后台代用户办理申领。

- 每个请求都要用 HMAC-SHA256 签名（X-Sscard-App-Id、X-Sscard-Timestamp、X-Sscard-Nonce、X-Sscard-Signature），
  签名串：`METHOD\\nPATH\\nQUERY（排序）\\nTIMESTAMP\\nNONCE\\nsha256hex(BODY)\\nUSER_PHONE`；时间戳±5分钟，随机串只能用一次。
- 代用户办理的接口用 X-Sscard-User-Phone 说明用户（渠道已验证的手机号），签名串最后一行 USER_PHONE 即这个请求头的原值；
  不代用户的请求没有这一行，签名串以请求体的哈希那一行结尾，末尾不加换行。
- 错误统一为 `{"code": "稳定代码", "message": "中文说明", "errors": {"字段": "中文说明"}}`。

完整说明与示例见仓库 docs/api.md。
"""

class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes: partners' logs stay readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="中山社保卡 渠道接口",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", reference.router)
api.add_router("", applications.router)
api.add_router("", cards.router)
api.add_router("", fallback.router)  # last: it matches every path the others did not


def _json_method_not_allowed(view):
    """ninja answers a wrong method with Django's bare-text 405; partners get the API's JSON shape."""

    @functools.wraps(view)  # keeps csrf_exempt
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            message = f"这个接口只支持 {allowed} 请求" if allowed else errors.STATUS_CODES[405][1]
            refused = errors.error_response(api, request, 405, "method_not_allowed", message)
            refused["Allow"] = allowed
            return refused
        return response

    return wrapped


def urls():
    """``api.urls`` with every view answering a wrong method in JSON."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace
