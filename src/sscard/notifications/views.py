"""Receipt webhooks (one per provider), the demo inbox /dev/sms and the staff dashboard."""

from __future__ import annotations

import datetime
import hmac
import ipaddress
import json
import logging

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sscard.common.clientaddr import client_address
from sscard.identity import mask_phone
from sscard.notifications import dao, receipts
from sscard.notifications.constants import TEMPLATE_SPECS, NotificationState
from sscard.notifications.models import ConsoleMessage, Notification
from sscard.notifications.providers import health

log = logging.getLogger("sscard.notifications")

# What each provider expects back (anything else makes it retry the callback).
_ACK = {
    "tencent": {"result": 0, "errmsg": "OK"},
    "aliyun": {"code": 0, "msg": "成功"},
    "console": {"ok": True},
}


def _address_allowed(address: str) -> bool:
    allowed = settings.SMS_RECEIPT_ALLOWED_IPS
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allowed)


def _token_ok(request: HttpRequest) -> bool:
    secret = settings.SMS_RECEIPT_SECRET
    if not secret:
        return False  # no secret configured: receipts are refused, never accepted unauthenticated
    given = request.GET.get("token") or request.headers.get("X-Receipt-Token", "")
    return hmac.compare_digest(given.encode(), secret.encode())


@csrf_exempt
@require_POST
def receipt_webhook(request: HttpRequest, provider: str):
    if provider not in _ACK:
        raise Http404
    address = client_address(request)  # the provider's address, also behind our load balancer
    if not _address_allowed(address):
        log.warning("receipt_refused reason=address provider=%s", provider)
        return JsonResponse({"error": "forbidden"}, status=403)
    if not _token_ok(request):
        log.warning("receipt_refused reason=token provider=%s", provider)
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        parsed = receipts.parse(provider, json.loads(request.body or b"null"))
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("receipt_refused reason=malformed provider=%s error=%s", provider, type(exc).__name__)
        return JsonResponse({"error": "malformed"}, status=400)
    for receipt in parsed:
        receipts.apply(receipt)
    return JsonResponse(_ACK[provider])


def _dev_inbox_enabled() -> bool:
    # Production refuses DEBUG and demo mode at start-up; the inbox checks again, as it shows every sign-in code.
    return bool(settings.DEBUG or settings.SSCARD_DEMO) and not settings.SSCARD_PRODUCTION


@never_cache
@require_GET
def dev_sms(request: HttpRequest):
    """The demo phone: every message the console provider 'sent', newest first. Only in DEBUG or demo mode."""
    if not _dev_inbox_enabled():
        raise Http404
    messages = [
        {"phone": mask_phone(m.phone), "body": m.body, "created_at": m.created_at}
        for m in ConsoleMessage.objects.order_by("-created_at")[:100]
    ]
    return render(request, "notifications/dev_sms.html", {"messages": messages})


_PERIODS = {"1": "今天", "7": "最近7天", "30": "最近30天"}


@never_cache
@staff_member_required
def dashboard(request: HttpRequest):
    period = request.GET.get("days", "1")
    if period not in _PERIODS:
        period = "1"
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=int(period) - 1
    )
    states = list(NotificationState)

    def table(field: str, label_of) -> list[dict]:
        rows: dict[str, dict] = {}
        for entry in dao.counts_by(field, start):
            key = entry[field] or ""
            row = rows.setdefault(key, {"label": label_of(key), "counts": dict.fromkeys(states, 0), "total": 0})
            row["counts"][entry["state"]] = entry["n"]
            row["total"] += entry["n"]
        for row in rows.values():
            row["cells"] = [row["counts"][s] for s in states]
            done = row["counts"][NotificationState.DELIVERED] + row["counts"][NotificationState.FAILED]
            row["delivery_rate"] = (
                f"{100 * row['counts'][NotificationState.DELIVERED] / done:.1f}%" if done else "—"
            )
        return sorted(rows.values(), key=lambda r: -r["total"])

    provider_labels = {"": "（未发出）", "console": "演示收件箱", "tencent": "腾讯云", "aliyun": "阿里云"}
    failed = (
        Notification.objects.filter(state=NotificationState.FAILED, created_at__gte=start)
        .order_by("-created_at")[:50]
    )
    context = {
        "period": period,
        "periods": _PERIODS,
        "states": [s.label for s in states],
        "by_template": table(
            "template_code", lambda c: TEMPLATE_SPECS[c].label if c in TEMPLATE_SPECS else c
        ),
        "by_provider": table("provider", lambda p: provider_labels.get(p, p)),
        "failed": [
            {
                "created_at": n.created_at,
                "template": TEMPLATE_SPECS[n.template_code].label,
                "phone": n.masked_phone,
                "kind": n.get_failure_kind_display(),
                "error": n.last_error,
                "attempts": n.attempts,
                "pk": n.pk,
            }
            for n in failed
        ],
        "backlog": dao.backlog(now),
        "providers": health.snapshot(),
    }
    return render(request, "notifications/dashboard.html", context)
