"""Save first, then queue: notices are rows written inside the caller's transaction.

The service knows nothing of its callers. Each domain builds its own notices (``applications.notices``,
``cards.notices``, ``accounts.notices``) and calls ``queue_sms`` with a template, a phone, the personalisation and
a reference to what the message is about. The lifecycles do so inside their transition transaction, so a notice
exists exactly when its event does; the task that sends it is enqueued only on commit.
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
from sscard.notifications.tasks import enqueue
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
    reference: tuple[str, object] | None = None,
) -> Notification | None:
    """Write one outbox row (in the caller's transaction) and send it after commit.

    ``reference``: what the message is about, as ``(kind, id)`` such as ``("application", 42)``, for listing an
    object's messages later (``dao.for_reference``); the service never follows it. ``urgent`` overrides the
    template's setting (urgent notices ignore quiet hours); ``expires_in`` (seconds): the message is never sent
    after that. Returns None when there is no phone to send to; a row in ``failed``
    when the phone's daily cap is reached (visible in the admin, never silently dropped).
    """
    spec = TEMPLATE_SPECS.get(template_code)
    if spec is None:
        raise ValueError(f"unknown SMS template {template_code!r}")
    kind, ref_id = reference if reference is not None else ("", "")
    if reference is not None and (not kind or ref_id is None or ref_id == ""):
        raise ValueError(f"incomplete SMS reference {reference!r}: needs a kind and an id")
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
        reference_kind=kind,
        reference_id=str(ref_id),
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

