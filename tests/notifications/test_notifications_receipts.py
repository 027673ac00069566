"""Receipt webhooks: authenticated, idempotent, never moving a final status backwards."""

import datetime
import logging

import pytest

from sscard.notifications.constants import NotificationState
from sscard.notifications.models import DeliveryReceipt

pytestmark = pytest.mark.django_db
S = NotificationState
TOKEN = "receipt-secret"


@pytest.fixture
def sent(fake_sms, queue, settings):
    settings.SMS_RECEIPT_SECRET = TOKEN
    n = queue()
    assert n.state == S.SENT
    return n, fake_sms.accepted[0]


def post(client, provider, payload, token=TOKEN, **extra):
    return client.post(
        f"/notifications/receipts/{provider}?token={token}", data=payload, content_type="application/json", **extra
    )


def test_tencent_receipt_marks_delivered_and_answers_as_tencent_expects(client, fake_sms, sent):
    n, accepted = sent
    response = post(client, "tencent", fake_sms.receipt_payload(accepted))
    assert response.json() == {"result": 0, "errmsg": "OK"}
    n.refresh_from_db()
    assert n.state == S.DELIVERED and n.finished_at is not None


def test_aliyun_receipt_matches_by_out_id_even_without_message_id(client, fake_sms, sent, settings):
    n, _ = sent
    settings.SMS_PROVIDERS = ["aliyun"]
    from sscard.notifications.models import Notification

    Notification.objects.filter(pk=n.pk).update(provider="aliyun", provider_message_id="")
    payload = [{"biz_id": "900619^0", "out_id": str(n.idempotency_key), "success": False, "err_code": "MK:0001",
                "report_time": "2026-12-01 10:00:05"}]
    assert post(client, "aliyun", payload).json() == {"code": 0, "msg": "成功"}
    n.refresh_from_db()
    assert n.state == S.FAILED and n.last_error == "receipt:MK:0001"
    assert n.provider_message_id == "900619^0"


def test_duplicate_receipt_is_idempotent(client, fake_sms, sent):
    n, accepted = sent
    for _ in range(3):
        assert post(client, "tencent", fake_sms.receipt_payload(accepted)).status_code == 200
    assert DeliveryReceipt.objects.count() == 1
    n.refresh_from_db()
    assert n.state == S.DELIVERED


def test_final_status_never_moves_backwards(client, fake_sms, sent):
    n, accepted = sent
    post(client, "tencent", fake_sms.receipt_payload(accepted, delivered=True))
    post(client, "tencent", fake_sms.receipt_payload(accepted, delivered=False))
    n.refresh_from_db()
    assert n.state == S.DELIVERED
    assert set(DeliveryReceipt.objects.values_list("outcome", flat=True)) == {"applied", "ignored_final"}


@pytest.mark.parametrize("token", ["", "wrong"])
def test_receipt_without_the_shared_secret_is_refused(client, fake_sms, sent, token):
    n, accepted = sent
    assert post(client, "tencent", fake_sms.receipt_payload(accepted), token=token).status_code == 403
    n.refresh_from_db()
    assert n.state == S.SENT
    assert DeliveryReceipt.objects.count() == 0


def test_receipts_refused_when_no_secret_is_configured(client, fake_sms, sent, settings):
    n, accepted = sent
    settings.SMS_RECEIPT_SECRET = ""
    assert post(client, "tencent", fake_sms.receipt_payload(accepted), token="").status_code == 403


def test_address_allow_list(client, fake_sms, sent, settings):
    n, accepted = sent
    settings.SMS_RECEIPT_ALLOWED_IPS = ["10.0.0.0/8"]
    assert post(client, "tencent", fake_sms.receipt_payload(accepted)).status_code == 403
    assert post(client, "tencent", fake_sms.receipt_payload(accepted), REMOTE_ADDR="10.1.2.3").status_code == 200
    n.refresh_from_db()
    assert n.state == S.DELIVERED


def test_token_in_header_is_accepted(client, fake_sms, sent):
    n, accepted = sent
    response = client.post(
        "/notifications/receipts/tencent", data=fake_sms.receipt_payload(accepted),
        content_type="application/json", headers={"X-Receipt-Token": TOKEN},
    )
    assert response.status_code == 200


def test_malformed_and_unknown_provider(client, settings):
    settings.SMS_RECEIPT_SECRET = TOKEN
    assert post(client, "tencent", [{"no": "sid"}]).status_code == 400
    assert post(client, "nosuch", []).status_code == 404
    assert client.get(f"/notifications/receipts/tencent?token={TOKEN}").status_code == 405


def test_unknown_message_id_is_kept_then_logged_by_the_sweeper(client, settings, sweep, clock, caplog):
    settings.SMS_RECEIPT_SECRET = TOKEN
    payload = [{"sid": "2433:nobody", "report_status": "SUCCESS", "errmsg": "DELIVRD"}]
    assert post(client, "tencent", payload).status_code == 200
    receipt = DeliveryReceipt.objects.get()
    assert receipt.outcome == "pending"
    sweep()
    receipt.refresh_from_db()
    assert receipt.outcome == "pending"  # may still be early
    clock.advance(minutes=10)
    with caplog.at_level(logging.WARNING, logger="sscard.notifications"):
        assert sweep()["unknown_receipts"] == 1
    receipt.refresh_from_db()
    assert receipt.outcome == "unknown"
    assert "receipt_unknown_message provider=tencent message_id=2433:nobody" in caplog.text


def test_sweeper_applies_a_receipt_that_crossed_the_sent_commit(fake_sms, queue, settings, sweep, clock):
    """Receipt stored while the row had no message id; the sent commit missed it; the sweeper matches it."""
    from sscard.notifications import receipts
    from sscard.notifications.models import Notification

    settings.SMS_RECEIPT_SECRET = TOKEN
    n = queue()
    accepted = fake_sms.accepted[0]
    Notification.objects.filter(pk=n.pk).update(provider_message_id="")
    receipts.apply(receipts.Receipt("tencent", accepted.message_id, True))
    Notification.objects.filter(pk=n.pk).update(provider_message_id=accepted.message_id)
    clock.advance(minutes=1)
    sweep()
    n.refresh_from_db()
    assert n.state == S.DELIVERED


def test_receipt_logged_unknown_is_still_applied_when_the_send_is_reconciled_later(
    fake_sms, queue, sweep, clock, settings
):
    """Lost answer, long backlog: the receipt is declared unknown before the retry finds the message."""
    from sscard.notifications import receipts

    settings.SMS_PROVIDERS = ["tencent"]
    fake_sms.plan("tencent", ["lost_answer"])
    n = queue()
    assert n.state == S.QUEUED and n.pending_provider == "tencent"
    accepted = fake_sms.accepted[0]
    receipts.apply(receipts.parse("tencent", fake_sms.receipt_payload(accepted))[0])
    n.refresh_from_db()
    n_next = n.next_attempt_at
    # Sweep after the receipt has waited long enough to be called unknown, but before the retry is due.
    from sscard.notifications.models import Notification

    Notification.objects.filter(pk=n.pk).update(next_attempt_at=n_next + datetime.timedelta(hours=1))
    clock.advance(minutes=10)
    sweep()
    assert DeliveryReceipt.objects.get().outcome == "unknown"
    clock.advance(hours=2)
    sweep()
    n.refresh_from_db()
    assert n.state == S.DELIVERED
    assert fake_sms.sends() == 1
