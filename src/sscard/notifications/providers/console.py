"""The console provider: writes each message to an inbox table and the log. The demo-mode default."""

from __future__ import annotations

import logging
import uuid

from django.db import IntegrityError, transaction

from sscard.identity import mask_phone
from sscard.notifications.models import ConsoleMessage
from sscard.notifications.providers.base import OutgoingSms, SendResult, SmsProvider

log = logging.getLogger("sscard.notifications")


class ConsoleProvider(SmsProvider):
    name = "console"
    label = "演示收件箱"

    def send(self, sms: OutgoingSms) -> SendResult:
        message_id = f"console-{uuid.uuid4().hex[:20]}"
        try:
            with transaction.atomic():
                ConsoleMessage.objects.create(
                    idempotency_key=sms.idempotency_key, message_id=message_id, phone=sms.phone, body=sms.body
                )
        except IntegrityError:
            # The inbox is keyed by the idempotency key, like a provider that deduplicates: answer with the first id.
            existing = ConsoleMessage.objects.get(idempotency_key=sms.idempotency_key)
            return SendResult(existing.message_id)
        log.info("console_sms to=%s template=%s id=%s", mask_phone(sms.phone), sms.template_code, message_id)
        return SendResult(message_id)

    def lookup(self, sms: OutgoingSms) -> SendResult | None:
        found = ConsoleMessage.objects.filter(idempotency_key=sms.idempotency_key).first()
        return SendResult(found.message_id) if found else None
