"""Save first, then queue: notices are rows written inside the caller's transaction."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from sscard.notifications.models import Notification
from sscard.notifications.templates_text import DEFAULT_TEMPLATES

log = logging.getLogger("sscard.notifications")


def render(template_code: str, context: dict) -> str:
    text = DEFAULT_TEMPLATES[template_code].format_map(_Blank(context))
    return f"【{settings.SMS_SIGN_NAME}】{text}"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def queue_sms(phone: str, template_code: str, context: dict, **related) -> Notification | None:
    if not phone:
        log.info("skipped_notification reason=no_phone template=%s", template_code)
        return None
    notification = Notification.objects.create(
        template_code=template_code, phone=phone, context=context, body=render(template_code, context), **related
    )
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(pk: int) -> None:
    from sscard.notifications.tasks import deliver_sms

    deliver_sms.enqueue(pk)


def notify_application(application, template_code: str, *, event=None, reason: str = "") -> Notification | None:
    context = {
        "acceptance_number": application.acceptance_number or "",
        "decision_due": f"{application.decision_due:%m月%d日}" if application.decision_due else "",
        "reason": reason,
        "branch": application.branch.name if application.branch_id else "",
        "waybill": (event.data or {}).get("waybill", "") if event else "",
    }
    return queue_sms(application.phone, template_code, context, application=application)


def notify_card(card, template_code: str, *, event=None) -> Notification | None:
    application = card.application
    phone = application.phone if application else ""
    return queue_sms(phone, template_code, {}, card=card)
