from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from sscard.notifications.models import Notification, NotificationState

log = logging.getLogger("sscard.notifications")


@task()
def deliver_sms(notification_id: int) -> str:
    """Send one queued notification (the console provider prints it to the log)."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, state=NotificationState.QUEUED).update(
            state=NotificationState.SENDING
        )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    log.info("sms_sent provider=console to=%s template=%s", notification.masked_phone, notification.template_code)
    Notification.objects.filter(pk=notification_id, state=NotificationState.SENDING).update(
        state=NotificationState.SENT
    )
    return "sent"
