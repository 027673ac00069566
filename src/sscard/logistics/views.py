"""The courier's status webhook: POST /logistics/courier/webhook, signed (``logistics.signing``), docs/logistics.md."""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sscard.common import sharedstore
from sscard.logistics import dao, signing
from sscard.logistics.constants import COURIER_EVENTS, Source
from sscard.logistics.fileformat import check_fields
from sscard.logistics.services import LogisticsError, apply_event

log = logging.getLogger("sscard.logistics")

MAX_BODY_BYTES = 16 * 1024
ACTOR = "courier:webhook"


def _error(status: int, code: str, message: str) -> JsonResponse:
    log.warning("courier_webhook_refused code=%s status=%s", code, status)
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _authenticate(request: HttpRequest) -> JsonResponse | None:
    secret = settings.COURIER_WEBHOOK_SECRET
    if not secret:
        return _error(403, "webhook_disabled", "快递状态回调未启用（未配置共享密钥）")
    timestamp = request.headers.get(signing.HEADER_TIMESTAMP, "")
    signature = request.headers.get(signing.HEADER_SIGNATURE, "")
    problem = signing.check(secret, timestamp, signature, request.body, time.time())
    if problem == "bad_signature":
        return _error(401, problem, "签名不正确")
    if problem == "stale_timestamp":
        return _error(401, problem, f"时间戳超出允许范围（前后{signing.MAX_CLOCK_SKEW}秒），请校准时钟后重新签名发送")
    # Remembered only once authentic, so nobody can fill the store with made-up signatures.
    # In the store every web process shares, so a replay to another worker is refused too.
    if not sharedstore.claim_once(f"courier-webhook:{signature}", ttl=signing.SEEN_TTL):
        return _error(409, "replayed", "这个请求已经收到过（签名重复），请勿重放")
    return None


@csrf_exempt
def courier_webhook(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return _error(405, "method_not_allowed", "只接受 POST 请求")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:  # checked before the body is read
        return _error(413, "body_too_large", f"请求内容超过{MAX_BODY_BYTES // 1024}KB")
    refused = _authenticate(request)
    if refused is not None:
        return refused
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "bad_json", "请求内容不是有效的 JSON")
    if not isinstance(body, dict):
        return _error(400, "bad_json", "请求内容应为 JSON 对象")
    values = {name: body.get(name) for name in ("card_number", "waybill", "event", "at")}
    if any(value is not None and not isinstance(value, str) for value in values.values()):
        return _error(422, "invalid_fields", "card_number、waybill、event、at 应为字符串")
    values = {name: value or "" for name, value in values.items()}
    if not values["card_number"] and not values["waybill"]:
        return _error(422, "invalid_fields", "请提供卡号（card_number）或运单号（waybill）")
    fields, reasons = check_fields(
        **values, tz=timezone.get_current_timezone(), now=timezone.now(), events=sorted(COURIER_EVENTS),
        card_number_required=False,
    )
    if reasons:
        return _error(422, "invalid_fields", "；".join(reasons))
    card = None
    if fields["card_number"]:
        card = dao.cards_by_number([fields["card_number"]]).get(fields["card_number"])
    elif fields["waybill"]:
        card = dao.card_for_waybill(fields["waybill"])
    if card is None:
        return _error(404, "unknown_card", "找不到这张卡（卡号或运单号不认识）")
    try:
        outcome = apply_event(card, fields["event"], fields["at"], fields["waybill"], source=Source.WEBHOOK,
                              actor=ACTOR)
    except LogisticsError as exc:
        return _error(409, exc.code, exc.reason)
    return JsonResponse({"result": outcome})
