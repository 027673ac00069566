"""Delivery receipts: parse each provider's callback, then apply it to the outbox row it belongs to.

Idempotent (a receipt is stored once per message and status), and safe in any order: a receipt for a row not yet
``sent`` (the worker has the provider's answer but has not committed it) is kept as pending and applied by
``dao.finish_sent``; one that never matches is logged by the sweeper as an unknown message.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sscard.notifications import dao
from sscard.notifications.constants import ReceiptOutcome
from sscard.notifications.models import DeliveryReceipt

log = logging.getLogger("sscard.notifications")


@dataclass(frozen=True)
class Receipt:
    provider: str
    message_id: str
    delivered: bool
    error_code: str = ""
    idempotency_key: str = ""
    reported_at: datetime.datetime | None = None


def _local(raw: str | None) -> datetime.datetime | None:
    if not raw:
        return None
    parsed = parse_datetime(str(raw).replace("/", "-"))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # providers report Beijing time without an offset
    return parsed


def parse(provider: str, payload) -> list[Receipt]:
    """Receipts in a provider's callback body. Raises ValueError on a body that is not one."""
    items = payload if isinstance(payload, list) else [payload]
    receipts = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("receipt item is not an object")
        if provider == "tencent":
            # [{"sid": …, "report_status": "SUCCESS"|"FAIL", "errmsg": "DELIVRD", "user_receive_time": …, …}]
            receipts.append(
                Receipt(
                    provider, str(item["sid"]), item["report_status"] == "SUCCESS",
                    "" if item["report_status"] == "SUCCESS" else str(item.get("errmsg", "")),
                    str(item.get("session_context") or item.get("ext") or ""), _local(item.get("user_receive_time")),
                )
            )
        elif provider == "aliyun":
            # [{"biz_id": …, "out_id": …, "success": true, "err_code": "DELIVERED", "report_time": …, …}]
            success = item["success"] in (True, "true", "True", 1)
            receipts.append(
                Receipt(
                    provider, str(item["biz_id"]), success, "" if success else str(item.get("err_code", "")),
                    str(item.get("out_id") or ""), _local(item.get("report_time")),
                )
            )
        else:
            # console / generic: [{"message_id": …, "delivered": true, "error_code": "", "idempotency_key": …}]
            receipts.append(
                Receipt(
                    provider, str(item["message_id"]), bool(item["delivered"]), str(item.get("error_code", "")),
                    str(item.get("idempotency_key", "")),
                )
            )
    return receipts


def apply(receipt: Receipt, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    try:
        with transaction.atomic():
            stored = DeliveryReceipt.objects.create(
                provider=receipt.provider,
                provider_message_id=receipt.message_id,
                idempotency_key=receipt.idempotency_key[:64],
                delivered=receipt.delivered,
                error_code=receipt.error_code[:100],
                reported_at=receipt.reported_at,
                outcome=ReceiptOutcome.PENDING,
            )
    except IntegrityError:
        log.info("receipt_duplicate provider=%s message_id=%s", receipt.provider, receipt.message_id)
        return "duplicate"
    with transaction.atomic():
        notification = dao.find_for_receipt(receipt.provider, receipt.message_id, receipt.idempotency_key)
        if notification is None:
            # Kept: it may be early (the send is not committed yet). The sweeper reports it if it never matches.
            log.info("receipt_unmatched provider=%s message_id=%s", receipt.provider, receipt.message_id)
            return ReceiptOutcome.PENDING
        return dao.apply_receipt_to(notification, stored, now)
