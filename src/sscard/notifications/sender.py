"""One delivery attempt for one outbox row: claim, (reconcile), call providers in failover order, record.

No transaction and no row lock is held during a provider call: the claim and each outcome are short
conditional updates of their own, so a slow provider ties up a worker, never the database or its pool.

This module knows nothing of task queues: it records a retry on the row and says when (``Outcome.retry_at``);
the ``deliver_sms`` task schedules itself again (as Notify's ``deliver_sms`` calls its own retry).
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from sscard.identity import mask_phone
from sscard.notifications import dao, schedule, text
from sscard.notifications.constants import FailureKind, NotificationState
from sscard.notifications.models import Notification
from sscard.notifications.providers import ErrorKind, OutgoingSms, ProviderError, get_provider, health
from sscard.notifications.templates import get_template

log = logging.getLogger("sscard.notifications")
S = NotificationState


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: ``sent``, ``failed``, ``expired``, ``retry`` (recorded on the row, due at
    ``retry_at``), ``held`` (quiet hours, until ``retry_at``), ``not_due`` or ``skipped`` (not ours to send now)."""

    status: str
    retry_at: datetime.datetime | None = None


def build_message(n: Notification) -> OutgoingSms:
    template = get_template(n.template_code)
    values = dict(n.context)
    if n.secret_context:
        values.update(json.loads(n.secret_context))
    # Provider templates take the variables in the order the text uses them (Tencent: a list; Aliyun: a map).
    params = {name: str(values.get(name, "")) for name in text.variables(template.body)}
    return OutgoingSms(
        idempotency_key=str(n.idempotency_key),
        phone=n.phone,
        body=n.body,
        template_code=n.template_code,
        params=params,
        sign_name=settings.SMS_SIGN_NAME,
        tencent_template_id=template.tencent_template_id,
        aliyun_template_code=template.aliyun_template_code,
        sent_after=n.created_at.timestamp(),
    )


def deliver(notification_id: int, now: datetime.datetime | None = None) -> Outcome:
    """One attempt at one queued row. Enqueues nothing: a retry is written on the row and returned."""
    now = now or timezone.now()
    n = Notification.objects.filter(pk=notification_id).first()
    if n is None or n.state != S.QUEUED:
        return Outcome("skipped")
    if n.next_attempt_at and n.next_attempt_at > now:
        return Outcome("not_due")
    if n.expires_at and now >= n.expires_at:
        if dao.expire(n, now):
            log.info("sms_expired id=%s template=%s", n.pk, n.template_code)
        return Outcome("expired")
    if not n.urgent:
        release = schedule.quiet_until(timezone.localtime(now), settings.SMS_QUIET_HOURS)
        if release is not None:
            dao.hold(n, release)
            log.info("sms_held reason=quiet_hours id=%s until=%s", n.pk, release.isoformat())
            return Outcome("held", release)

    order = health.ordered(now.timestamp())
    outcome_unknown = bool(n.pending_provider)
    if not dao.claim(n, now, order[0]):
        return Outcome("skipped")  # another worker has it
    sms = build_message(n)

    if outcome_unknown:
        outcome = _reconcile(n, sms, now)
        if outcome:
            return outcome

    last_error = "no_provider"
    for name in order:
        if n.pending_provider != name:
            dao.set_pending(n, name)
        # The claim and the pending mark are committed; no transaction or row lock is held during the call.
        try:
            try:
                result = get_provider(name).send(sms)
            except ProviderError:
                raise
            except Exception as exc:
                # A plugin bug or an SDK error we do not recognise: we cannot tell whether it was sent.
                raise ProviderError(ErrorKind.UNKNOWN, "unexpected", repr(exc)) from exc
        except ProviderError as exc:
            log.warning(
                "sms_failed reason=%s kind=%s provider=%s id=%s to=%s attempt=%s",
                exc.reason, exc.kind.value, name, n.pk, mask_phone(n.phone), n.attempts,
            )
            if exc.kind is ErrorKind.PERMANENT:
                dao.fail(n, timezone.now(), FailureKind.PERMANENT, f"{name}:{exc.reason}")
                return Outcome("failed")
            health.record_failure(name, exc.reason, now.timestamp())
            if exc.kind is ErrorKind.UNKNOWN:
                # It may have gone out: no failover now. The next attempt asks this provider first.
                return _retry(n, f"{name}:{exc.reason}", now)
            dao.clear_pending(n, f"{name}:{exc.reason}")
            last_error = f"{name}:{exc.reason}"
            continue
        health.record_success(name)
        dao.finish_sent(n, name, result.message_id, timezone.now())
        log.info(
            "sms_sent provider=%s id=%s template=%s to=%s attempt=%s",
            name, n.pk, n.template_code, mask_phone(n.phone), n.attempts,
        )
        return Outcome("sent")
    return _retry(n, last_error, now)


def _reconcile(n: Notification, sms: OutgoingSms, now: datetime.datetime) -> Outcome | None:
    """A previous call's outcome is unknown: ask that provider whether it has the message before sending again."""
    name = n.pending_provider
    provider = get_provider(name)
    try:
        found = provider.lookup(sms)
    except Exception as exc:  # ProviderError or an SDK surprise: either way we still do not know
        reason = exc.reason if isinstance(exc, ProviderError) else "lookup_unexpected"
        log.warning("sms_reconcile_failed reason=%s provider=%s id=%s", reason, name, n.pk)
        return _retry(n, f"{name}:{reason}", now)
    if found is not None:
        dao.finish_sent(n, name, found.message_id, timezone.now())
        log.info("sms_reconciled outcome=already_sent provider=%s id=%s", name, n.pk)
        return Outcome("sent")
    visible_from = n.pending_since + datetime.timedelta(seconds=provider.lookup_lag) if n.pending_since else now
    if now < visible_from:
        # Too soon for this provider's lookup to list it: still unknown, ask again once it would.
        log.info("sms_reconciled outcome=not_visible_yet provider=%s id=%s", name, n.pk)
        return _retry(n, f"{name}:not_visible_yet", now, not_before=visible_from)
    log.info("sms_reconciled outcome=not_sent provider=%s id=%s", name, n.pk)
    dao.clear_pending(n, f"{name}:not_sent")
    return None


def _retry(
    n: Notification, reason: str, now: datetime.datetime, not_before: datetime.datetime | None = None
) -> Outcome:
    """Back to queued with a backoff (the caller schedules the next attempt), or a final state when spent."""
    if n.attempts >= settings.SMS_MAX_ATTEMPTS:
        dao.fail(n, timezone.now(), FailureKind.TEMPORARY, reason)
        log.error("sms_failed_final reason=%s id=%s template=%s attempts=%s", reason, n.pk, n.template_code, n.attempts)
        return Outcome("failed")
    delay = schedule.backoff_seconds(n.attempts, settings.SMS_RETRY_BASE_SECONDS, settings.SMS_RETRY_MAX_SECONDS)
    at = max(now + datetime.timedelta(seconds=delay), not_before or now)
    if n.expires_at and at >= n.expires_at:
        dao.expire(n, now)
        log.info("sms_expired reason=retry_after_expiry id=%s", n.pk)
        return Outcome("expired")
    if not dao.requeue(n, at, reason):
        return Outcome("skipped")  # the claim was lost (the sweeper re-queued it): the new owner schedules it
    return Outcome("retry", at)
