"""Save first, then queue: notices are rows written inside the caller's transaction.

The lifecycles call ``notify_application`` / ``notify_card`` from inside their transition transaction, so a
notice exists exactly when its event does. The task that sends it is enqueued only on commit.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sscard.identity import mask_phone
from sscard.notifications import dao, schedule, text
from sscard.notifications.constants import MASK, TEMPLATE_SPECS, FailureKind, NotificationState
from sscard.notifications.models import Notification
from sscard.notifications.providers.base import national_number
from sscard.notifications.templates import get_template
from sscard.privacy.fields import digest

log = logging.getLogger("sscard.notifications")


def queue_sms(
    phone: str,
    template_code: str,
    context: dict,
    *,
    urgent: bool | None = None,
    expires_in: int | None = None,
    now: datetime.datetime | None = None,
    **related,
) -> Notification | None:
    """Write one outbox row (in the caller's transaction) and send it after commit.

    ``urgent`` overrides the template's setting (urgent notices ignore quiet hours); ``expires_in`` (seconds):
    the message is never sent after that. Returns None when there is no phone to send to; a row in ``failed``
    when the phone's daily cap is reached (visible in the admin, never silently dropped).
    """
    spec = TEMPLATE_SPECS.get(template_code)
    if spec is None:
        raise ValueError(f"unknown SMS template {template_code!r}")
    if not phone:
        log.info("skipped_notification reason=no_phone template=%s", template_code)
        return None
    now = now or timezone.now()
    phone = national_number(phone)
    template = get_template(template_code)
    values = {k: "" if v is None else str(v) for k, v in context.items() if k in spec.variables}
    shown = {k: (MASK if k in spec.secret else v) for k, v in values.items()}
    secrets = {k: v for k, v in values.items() if k in spec.secret}
    body = text.render(template.body, values, settings.SMS_SIGN_NAME)
    fields = dict(
        template_code=template_code,
        phone=phone,
        phone_digest=digest(phone),
        context=shown,
        secret_context=json.dumps(secrets) if secrets else "",
        body=body,
        display_body=text.render(template.body, shown, settings.SMS_SIGN_NAME) if secrets else body,
        urgent=template.urgent if urgent is None else urgent,
        expires_at=now + datetime.timedelta(seconds=expires_in) if expires_in else None,
        next_attempt_at=now,
        **related,
    )

    if not dao.take_quota(f"sms:{fields['phone_digest']}", now, settings.SMS_DAILY_CAP_PER_PHONE):
        log.warning("sms_refused reason=daily_cap template=%s to=%s", template_code, mask_phone(phone))
        return Notification.objects.create(
            **fields, state=NotificationState.FAILED, failure_kind=FailureKind.PERMANENT,
            last_error="daily_cap", finished_at=now,
        )

    if not fields["urgent"]:
        release = schedule.quiet_until(timezone.localtime(now), settings.SMS_QUIET_HOURS)
        if release is not None:
            fields["next_attempt_at"] = release
            log.info("sms_held reason=quiet_hours template=%s until=%s", template_code, release.isoformat())
    notification = Notification.objects.create(**fields)
    run_at = fields["next_attempt_at"]
    transaction.on_commit(lambda: enqueue(notification.pk, run_at))
    return notification


def enqueue(pk: int, run_at: datetime.datetime | None = None) -> None:
    """Hand the row to the task queue. Losing this call is harmless: the sweeper finds the row still queued."""
    from sscard.notifications.tasks import deliver_sms

    task = deliver_sms
    if run_at is not None and run_at > timezone.now():
        if not task.get_backend().supports_defer:
            return  # the sweeper dispatches it when due
        task = task.using(run_after=run_at)
    task.enqueue(pk)


def send_login_code(phone: str, code: str) -> Notification | None:
    """The sign-in code: urgent (quiet hours do not apply) and never sent after ``SMS_LOGIN_CODE_TTL``.

    The code is kept only encrypted and only until sent; admin pages and the dashboard show ``******``.
    """
    ttl = settings.SMS_LOGIN_CODE_TTL
    return queue_sms(
        phone, "login_code", {"code": code, "minutes": max(ttl // 60, 1)}, urgent=True, expires_in=ttl
    )
