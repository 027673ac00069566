"""Fault injection against the fake providers: each SMS reaches the phone exactly once.

The send counts are what the fake provider server observed (requests the real SDKs made), not our own rows.
"""

import pytest

from sscard.notifications import sender
from sscard.notifications.constants import FailureKind, NotificationState
from sscard.notifications.providers import health

pytestmark = pytest.mark.django_db
S = NotificationState


def _receipt_for(client, settings, server, n, delivered=True):
    settings.SMS_RECEIPT_SECRET = "receipt-secret"
    accepted = server.accepted_for(str(n.idempotency_key))
    assert len(accepted) == 1
    return client.post(
        f"/notifications/receipts/{accepted[0].provider}?token=receipt-secret",
        data=server.receipt_payload(accepted[0], delivered),
        content_type="application/json",
    )


@pytest.mark.parametrize("failures", [1, 3])
def test_provider_fails_first_n_attempts_then_delivered_exactly_once(
    fake_sms, queue, sweep, clock, client, settings, failures
):
    settings.SMS_PROVIDERS = ["tencent"]  # no failover: the retries alone must get it through
    fake_sms.plan("tencent", ["server_error"] * failures)

    n = queue()
    assert n.state == S.QUEUED and n.attempts == 1 and n.last_error == "tencent:server_error"
    for _ in range(failures):
        clock.advance(hours=1)  # past any back-off
        sweep()
    n.refresh_from_db()
    assert n.state == S.SENT
    assert n.attempts == failures + 1
    assert fake_sms.sends("tencent") == failures + 1
    assert len(fake_sms.accepted_for(str(n.idempotency_key))) == 1

    assert _receipt_for(client, settings, fake_sms, n).status_code == 200
    n.refresh_from_db()
    assert n.state == S.DELIVERED
    # More sweeps change nothing and send nothing.
    clock.advance(hours=2)
    sweep()
    assert fake_sms.sends() == failures + 1
    assert fake_sms.duplicates() == {}
    assert fake_sms.signature_failures == 0


def test_retries_stop_at_the_bound_and_end_failed(fake_sms, queue, sweep, clock, settings):
    settings.SMS_PROVIDERS = ["aliyun"]
    settings.SMS_MAX_ATTEMPTS = 3
    fake_sms.plan("aliyun", ["throttled"] * 10)
    n = queue()
    for _ in range(5):
        clock.advance(hours=1)
        sweep()
    n.refresh_from_db()
    assert n.state == S.FAILED
    assert n.failure_kind == FailureKind.TEMPORARY
    assert n.attempts == 3
    assert n.last_error == "aliyun:throttled"
    assert fake_sms.sends("aliyun") == 3
    assert fake_sms.accepted == []


def test_retry_delays_grow_exponentially(fake_sms, queue, clock, settings, sweep):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_RETRY_BASE_SECONDS = 30
    fake_sms.plan("tencent", ["server_error"] * 3)
    n = queue()
    gaps = []
    for _ in range(3):
        n.refresh_from_db()
        gaps.append((n.next_attempt_at - clock.now).total_seconds())
        clock.now = n.next_attempt_at
        sweep()
    assert 30 <= gaps[0] <= 33 and 60 <= gaps[1] <= 66
    n.refresh_from_db()
    assert n.state == S.SENT and fake_sms.sends() == 4


def test_one_provider_down_fails_over_and_delivers_once(fake_sms, queue, client, settings):
    fake_sms.down.add("tencent")
    n = queue()
    assert n.state == S.SENT
    assert n.provider == "aliyun"
    assert n.attempts == 1
    assert fake_sms.sends("tencent") == 1 and fake_sms.sends("aliyun") == 1
    assert [a.provider for a in fake_sms.accepted] == ["aliyun"]
    assert _receipt_for(client, settings, fake_sms, n).status_code == 200
    n.refresh_from_db()
    assert n.state == S.DELIVERED


def test_failing_provider_loses_priority_and_regains_it_after_recovery(fake_sms, queue, clock, settings):
    settings.SMS_PROVIDER_COOLDOWN = 60
    fake_sms.down.add("tencent")
    first = queue(phone="13800138000")
    assert first.provider == "aliyun"
    assert fake_sms.sends("tencent") == 1

    # Lost priority: the next messages go straight to aliyun, tencent is not even tried.
    more = [queue(phone=f"1390013900{i}") for i in range(3)]
    assert [n.provider for n in more] == ["aliyun"] * 3
    assert fake_sms.sends("tencent") == 1

    # Still down at the end of the cool-down: the probe fails over, and tencent waits another cool-down.
    clock.advance(seconds=61)
    assert queue(phone="13700137000").provider == "aliyun"
    assert fake_sms.sends("tencent") == 2
    assert queue(phone="13700137001").provider == "aliyun"
    assert fake_sms.sends("tencent") == 2

    # Recovered: after the cool-down one message probes it, succeeds, and it is first again.
    fake_sms.down.discard("tencent")
    clock.advance(seconds=61)
    probe = queue(phone="13600136000")
    after = queue(phone="13600136001")
    assert (probe.provider, after.provider) == ("tencent", "tencent")
    assert fake_sms.duplicates() == {}
    assert len(fake_sms.accepted) == 8
    assert all(n.attempts == 1 for n in [first, *more, probe, after])


def test_weights_order_healthy_providers(fake_sms, settings):
    settings.SMS_PROVIDERS = ["tencent:1", "aliyun:3"]
    assert health.ordered() == ["aliyun", "tencent"]
    health.record_failure("aliyun", "test")
    health.record_failure("aliyun", "test")
    health.record_failure("aliyun", "test")  # 3 / (1+3) < 1
    assert health.ordered() == ["tencent", "aliyun"]
    health.record_success("aliyun")
    assert health.ordered() == ["aliyun", "tencent"]


def test_worker_dies_after_provider_call_before_commit_no_second_send(
    fake_sms, clock, sweep, monkeypatch, django_capture_on_commit_callbacks
):
    n = _sent_then_worker_died(fake_sms, monkeypatch)  # the workers after it are healthy
    n.refresh_from_db()
    assert n.state == S.SENDING and n.pending_provider == "tencent"
    assert fake_sms.sends() == 1

    # Not yet stuck: the sweeper leaves it alone (the worker might only be slow).
    clock.advance(seconds=60)
    sweep()
    n.refresh_from_db()
    assert n.state == S.SENDING

    clock.advance(minutes=10)
    result = sweep()
    assert result["stuck"] == 1
    n.refresh_from_db()
    assert n.state == S.SENT
    assert n.provider == "tencent"
    assert n.provider_message_id == fake_sms.accepted[0].message_id
    assert fake_sms.sends() == 1, "the retry must look the message up, not send it again"
    assert fake_sms.calls[("tencent", "PullSmsSendStatusByPhoneNumber", "ok")] == 1
    assert fake_sms.duplicates() == {}


def test_lost_answer_is_reconciled_not_resent_or_failed_over(fake_sms, queue, sweep, clock):
    fake_sms.plan("aliyun", ["lost_answer"])
    fake_sms.down.add("tencent")
    health.record_failure("tencent", "test")
    health.record_failure("tencent", "test")
    health.record_failure("tencent", "test")  # demoted: aliyun goes first
    n = queue()
    assert n.state == S.QUEUED and n.pending_provider == "aliyun"
    assert fake_sms.sends("tencent") == 0, "an unknown outcome must not fail over (it may have been sent)"
    clock.advance(hours=1)
    sweep()
    n.refresh_from_db()
    assert n.state == S.SENT and n.provider == "aliyun"
    assert fake_sms.sends() == 1
    assert fake_sms.calls[("aliyun", "QuerySendDetails", "ok")] == 1


def test_lookup_says_not_sent_then_it_is_sent_once(fake_sms, clock, sweep, monkeypatch):
    from django.db import transaction

    from sscard.notifications import outbox

    with transaction.atomic():
        n = outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB9"})
    # A worker claimed it and died before calling the provider: pending set, nothing sent.
    from sscard.notifications import dao

    n.refresh_from_db()
    assert dao.claim(n, clock.now, "tencent")
    clock.advance(minutes=10)
    sweep()
    n.refresh_from_db()
    assert n.state == S.SENT
    assert fake_sms.sends() == 1
    assert fake_sms.calls[("tencent", "PullSmsSendStatusByPhoneNumber", "ok")] == 1


def test_receipt_before_sent_is_kept_and_applied(fake_sms, client, settings, monkeypatch, clock):
    """The provider's receipt overtakes the worker's commit of ``sent``."""
    from django.db import transaction

    from sscard.notifications import dao, outbox
    from sscard.notifications.models import DeliveryReceipt

    settings.SMS_RECEIPT_SECRET = "receipt-secret"
    with transaction.atomic():
        n = outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB9"})

    real_finish = dao.finish_sent
    seen = {}

    def receipt_arrives_first(notification, provider, message_id, now):
        accepted = fake_sms.accepted[0]
        response = client.post(
            f"/notifications/receipts/{provider}?token=receipt-secret",
            data=fake_sms.receipt_payload(accepted), content_type="application/json",
        )
        seen["status"] = response.status_code
        seen["state_then"] = type(notification).objects.get(pk=notification.pk).state
        return real_finish(notification, provider, message_id, now)

    monkeypatch.setattr(dao, "finish_sent", receipt_arrives_first)
    assert sender.deliver(n.pk).status == "sent"
    assert seen == {"status": 200, "state_then": S.SENDING}
    n.refresh_from_db()
    assert n.state == S.DELIVERED
    receipt = DeliveryReceipt.objects.get()
    assert receipt.outcome == "applied" and receipt.notification_id == n.pk
    assert fake_sms.sends() == 1


def test_invalid_number_fails_permanently_without_retry_or_failover(fake_sms, queue, sweep, clock):
    n = queue(phone="1380013")
    assert n.state == S.FAILED
    assert n.failure_kind == FailureKind.PERMANENT
    assert n.last_error == "tencent:invalid_number"
    clock.advance(hours=3)
    sweep()
    assert fake_sms.sends() == 1


def _sent_then_worker_died(fake_sms, monkeypatch):
    """Queue one SMS and let a worker send it through Tencent and die before recording the outcome."""
    from django.db import transaction

    from sscard.notifications import dao, outbox

    class WorkerKilled(BaseException):
        """Stands for SIGKILL: nothing after the provider call runs, nothing is committed."""

    with transaction.atomic():
        n = outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB9"})

    def killed(*args, **kwargs):
        raise WorkerKilled

    real_finish = dao.finish_sent
    monkeypatch.setattr(dao, "finish_sent", killed)
    with pytest.raises(WorkerKilled):
        sender.deliver(n.pk)
    monkeypatch.setattr(dao, "finish_sent", real_finish)
    assert fake_sms.sends("tencent") == 1
    return n


def test_carrier_report_not_in_yet_the_retry_waits_instead_of_sending_again(fake_sms, clock, sweep, monkeypatch):
    """Tencent's status pull lists a message only after the carrier reports on it: "not found" five
    minutes after the call does not mean "not sent", so nothing goes out twice."""
    fake_sms.reports_pending = True
    n = _sent_then_worker_died(fake_sms, monkeypatch)
    clock.advance(minutes=6)
    assert sweep()["stuck"] == 1
    n.refresh_from_db()
    assert n.state == S.QUEUED and n.pending_provider == "tencent" and "not_visible_yet" in n.last_error
    assert fake_sms.sends() == 1, "not sent again while the lookup cannot see it yet"

    fake_sms.reports_pending = False  # the carrier's report arrives
    clock.advance(minutes=5)
    sweep()
    n.refresh_from_db()
    assert n.state == S.SENT and n.provider_message_id == fake_sms.accepted[0].message_id
    assert fake_sms.sends() == 1 and fake_sms.duplicates() == {}


def test_never_listed_after_the_lag_it_is_sent_again_once(fake_sms, clock, sweep, monkeypatch):
    """Lost in Tencent (never listed, even ten minutes on): the citizen still gets the notice, once more."""
    fake_sms.reports_pending = True
    n = _sent_then_worker_died(fake_sms, monkeypatch)
    clock.advance(minutes=6)
    sweep()
    clock.advance(minutes=5)
    sweep()
    n.refresh_from_db()
    assert n.state == S.SENT
    assert fake_sms.sends() == 2
