"""The task layer owns retries: ``sender.deliver`` records one and says when; ``deliver_sms`` schedules it."""

import pytest
from django.db import transaction
from django_tasks import task_backends

from sscard.notifications import outbox, sender, tasks
from sscard.notifications.constants import NotificationState

pytestmark = pytest.mark.django_db
S = NotificationState
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # keeps what is enqueued


def _committed_row():
    with transaction.atomic():  # committed; its first task is not run (the test plays the worker)
        return outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"},
                                reference=("application", 7))


def test_a_failed_attempt_is_recorded_and_returned_never_enqueued(fake_sms, clock, settings):
    settings.TASKS = DEFERRING
    n = _committed_row()
    task_backends["default"].clear()
    fake_sms.plan("tencent", ["server_error"])
    fake_sms.plan("aliyun", ["server_error"])

    outcome = sender.deliver(n.pk)

    n.refresh_from_db()
    assert outcome.status == "retry" and n.state == S.QUEUED
    assert outcome.retry_at == n.next_attempt_at and n.next_attempt_at > clock.now
    assert task_backends["default"].results == []  # the sender knows no queue


def test_the_task_schedules_its_own_retry_for_when_the_sender_said(fake_sms, clock, settings):
    settings.TASKS = DEFERRING
    n = _committed_row()
    backend = task_backends["default"]
    backend.clear()
    fake_sms.plan("tencent", ["throttled"])
    fake_sms.plan("aliyun", ["throttled"])

    assert tasks.deliver_sms.call(n.pk) == "retry"

    n.refresh_from_db()
    [again] = backend.results
    assert again.task.func is tasks.deliver_sms.func and again.args == [n.pk]
    assert again.task.run_after == n.next_attempt_at  # deferred, not run at once

    clock.now = n.next_attempt_at
    assert tasks.deliver_sms.call(n.pk) == "sent"
    assert len(backend.results) == 1  # nothing more to schedule
    assert [a.idempotency_key for a in fake_sms.accepted] == [str(n.idempotency_key)]


def test_without_deferral_the_retry_is_left_to_the_sweeper(fake_sms, clock, sweep):
    """The immediate backend cannot defer: the task does not run the retry at once; the sweep does when due."""
    n = _committed_row()
    fake_sms.plan("tencent", ["server_error"])
    fake_sms.plan("aliyun", ["server_error"])
    assert tasks.deliver_sms.call(n.pk) == "retry"
    n.refresh_from_db()
    assert n.state == S.QUEUED and fake_sms.sends() == 2

    assert sweep()["dispatched"] == 0  # not due yet
    clock.now = n.next_attempt_at
    assert sweep()["dispatched"] == 1
    n.refresh_from_db()
    assert n.state == S.SENT and fake_sms.sends() == 3
