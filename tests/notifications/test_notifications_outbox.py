"""The outbox: rows written in the caller's transaction, sign-in codes, quiet hours, expiry, daily caps."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from sscard.accounts.notices import send_login_code  # the one notice with a secret variable
from sscard.notifications import dao, outbox
from sscard.notifications.constants import MASK, FailureKind, NotificationState
from sscard.notifications.models import ConsoleMessage, Notification

pytestmark = pytest.mark.django_db
S = NotificationState


def test_rolled_back_event_leaves_no_notice_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"})
            raise RuntimeError("the transition failed")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert ConsoleMessage.objects.count() == 0


def test_committed_notice_is_sent_by_the_console_provider(queue):
    n = queue("card_mailed", context={"waybill": "SF123"})
    assert n.state == S.SENT and n.provider == "console"
    inbox = ConsoleMessage.objects.get()
    assert inbox.body == "【中山人社】您的社保卡已寄出，运单号SF123，请留意签收。"
    assert n.provider_message_id == inbox.message_id


def test_no_phone_no_row(queue):
    assert queue(phone="") is None
    assert Notification.objects.count() == 0


def test_unknown_template_is_a_programming_error():
    with pytest.raises(ValueError):
        outbox.queue_sms("13800138000", "no_such_template", {})


def test_phone_and_body_are_encrypted_at_rest(queue):
    from django.db import connection

    n = queue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, body FROM notifications_notification WHERE id = %s", [n.pk])
        phone, body = cursor.fetchone()
    assert "13800138000" not in phone
    assert "SB001" not in body


def test_login_code_is_masked_and_forgotten_once_sent(django_capture_on_commit_callbacks, clock):
    from django.db import connection

    with django_capture_on_commit_callbacks(execute=True):
        n = send_login_code("13800138000", "604281")
    n.refresh_from_db()
    assert n.state == S.SENT and n.urgent
    assert (n.expires_at - n.created_at).total_seconds() == 300
    assert "604281" in ConsoleMessage.objects.get().body  # the phone (demo inbox) got it
    assert n.context["code"] == MASK
    assert "604281" not in n.display_body and MASK in n.display_body
    assert n.secret_context == "" and "604281" not in n.body
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_notification WHERE id = %s", [n.pk])
        assert "604281" not in json.dumps([str(v) for v in cursor.fetchone()])


def test_login_code_is_never_sent_after_five_minutes(clock, sweep, settings):
    settings.SMS_PROVIDERS = ["console"]
    with transaction.atomic():  # committed, but the task never ran (worker backlog)
        n = send_login_code("13800138000", "604281")
    clock.advance(minutes=5, seconds=1)
    assert sweep()["expired"] == 1
    n.refresh_from_db()
    assert n.state == S.EXPIRED and n.secret_context == ""
    from sscard.notifications import sender

    assert sender.deliver(n.pk).status == "skipped"
    assert ConsoleMessage.objects.count() == 0


def test_retry_that_would_land_after_expiry_expires_instead(fake_sms, clock, django_capture_on_commit_callbacks):
    fake_sms.plan("tencent", ["server_error"])
    fake_sms.plan("aliyun", ["server_error"])
    with django_capture_on_commit_callbacks(execute=True):
        n = send_login_code("13800138000", "111222")
    n.refresh_from_db()
    # First retry is 30 s away, inside the 5 minutes: still queued.
    assert n.state == S.QUEUED
    clock.advance(minutes=4, seconds=50)
    fake_sms.plan("tencent", ["server_error"])
    fake_sms.plan("aliyun", ["server_error"])
    from sscard.notifications import sender

    assert sender.deliver(n.pk).status == "expired"
    n.refresh_from_db()
    assert n.state == S.EXPIRED
    assert fake_sms.accepted == []


def test_quiet_hours_hold_lock_warnings_but_not_codes_or_decisions(
    queue, clock, sweep, django_capture_on_commit_callbacks
):
    import datetime

    clock.set_local(22, 30)
    warning = queue("lock_warning_7", context={"card_tail": "1234", "days_left": "7", "lock_date": "2027年1月1日"})
    decision = queue("application_refused", context={"acceptance_number": "SB1", "reason": "不符合条件"})
    with django_capture_on_commit_callbacks(execute=True):
        code = send_login_code("13800138000", "123456")
    code.refresh_from_db()
    assert warning.state == S.QUEUED
    assert decision.state == S.SENT and code.state == S.SENT

    clock.advance(hours=2)
    sweep()
    warning.refresh_from_db()
    assert warning.state == S.QUEUED  # still night

    assert warning.next_attempt_at.astimezone(datetime.UTC).isoformat() == "2026-12-02T00:00:00+00:00"  # 08:00
    clock.now = warning.next_attempt_at + datetime.timedelta(minutes=1)
    sweep()
    warning.refresh_from_db()
    assert warning.state == S.SENT
    assert ConsoleMessage.objects.count() == 3


def test_daily_cap_per_phone_refuses_visibly(queue, settings):
    settings.SMS_DAILY_CAP_PER_PHONE = 2
    a, b, c = (queue() for _ in range(3))
    other = queue(phone="13900139000")
    assert (a.state, b.state, other.state) == (S.SENT, S.SENT, S.SENT)
    assert c.state == S.FAILED and c.failure_kind == FailureKind.PERMANENT and c.last_error == "daily_cap"
    assert ConsoleMessage.objects.count() == 3


def test_daily_cap_resets_the_next_day(queue, settings, clock):
    settings.SMS_DAILY_CAP_PER_PHONE = 1
    assert queue().state == S.SENT
    assert queue().state == S.FAILED
    clock.advance(days=1)
    assert queue().state == S.SENT


def test_stuck_queued_row_is_dispatched_by_the_sweeper(clock, sweep):
    with transaction.atomic():  # the process died after commit, before enqueueing
        n = outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"})
    assert sweep()["dispatched"] == 1
    n.refresh_from_db()
    assert n.state == S.SENT
    assert sweep()["dispatched"] == 0


def test_lifecycle_transition_writes_and_sends_the_notice(django_capture_on_commit_callbacks):
    from sscard.applications import lifecycle

    application = lifecycle.create_draft(
        actor="citizen:1", channel="h5", name="张三", id_number="442000199001011233", phone="13800138000"
    )
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(application, "submit", actor="citizen:1")
    application.refresh_from_db()
    [n] = dao.for_reference("application", application.pk)
    assert n.template_code == "application_accepted" and n.state == S.SENT
    assert application.acceptance_number in ConsoleMessage.objects.get().body


def test_a_rolled_back_send_gives_its_daily_slot_back(queue, settings):
    settings.SMS_DAILY_CAP_PER_PHONE = 1
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"})
            raise RuntimeError("the caller's work failed")
    assert queue().state == S.SENT


@pytest.mark.django_db(transaction=True)
def test_twenty_sends_at_once_to_one_phone_stop_exactly_at_the_cap(postgres_only, settings):
    """20 threads, each with its own PostgreSQL connection, queue an SMS to one phone at the same
    moment with 5 left today: exactly 5 are queued, 15 refused visibly (counting rows and then
    inserting let several through)."""
    settings.SMS_DAILY_CAP_PER_PHONE = 5
    barrier = threading.Barrier(20)

    def send():
        try:
            barrier.wait(timeout=60)
            with transaction.atomic():
                n = outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"})
                time.sleep(0.05)  # the caller's transaction goes on after queueing
            return n.state
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        states = list(pool.map(lambda _: send(), range(20)))
    assert states.count(S.QUEUED) == 5 and states.count(S.FAILED) == 15, states
    assert Notification.objects.filter(last_error="daily_cap").count() == 15
