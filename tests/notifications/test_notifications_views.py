"""/dev/sms (demo only), the staff dashboard, and the template editor in the admin."""

import pytest
from django.core.exceptions import ValidationError

from sscard.accounts.notices import send_login_code  # the one notice with a secret variable
from sscard.notifications.models import Notification, SmsTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(username="admin", password="pw", email="a@example.org")


def test_dev_inbox_only_in_debug_or_demo(client, settings, queue):
    queue("card_mailed", context={"waybill": "SF123"})
    settings.DEBUG = False
    settings.SSCARD_DEMO = False
    assert client.get("/dev/sms").status_code == 404
    settings.SSCARD_DEMO = True
    page = client.get("/dev/sms").content.decode()
    assert "运单号SF123" in page
    assert "138****8000" in page and "13800138000" not in page


def test_dashboard_needs_staff(client):
    response = client.get("/notifications/dashboard")
    assert response.status_code == 302


def test_dashboard_counts_by_template_and_provider_and_masks(client, staff, queue, fake_sms, settings,
                                                              django_capture_on_commit_callbacks):
    queue()
    queue(phone="1380013")  # invalid number: permanent failure
    with django_capture_on_commit_callbacks(execute=True):
        send_login_code("13900139000", "987654")
    client.force_login(staff)
    page = client.get("/notifications/dashboard?days=7").content.decode()
    assert "审核通过" in page and "登录验证码" in page and "腾讯云" in page
    assert "tencent:invalid_number" in page
    assert "987654" not in page and "13900139000" not in page


def test_admin_notification_page_masks_phone_and_code(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = send_login_code("13900139000", "987654")
    client.force_login(staff)
    page = client.get(f"/staff/admin/notifications/notification/{n.pk}/change/").content.decode()
    assert "139****9000" in page and "******" in page
    assert "987654" not in page and "13900139000" not in page
    listing = client.get("/staff/admin/notifications/notification/").content.decode()
    assert "139****9000" in listing and "13900139000" not in listing


def test_template_with_unknown_variable_cannot_be_saved():
    template = SmsTemplate.objects.get(code="card_mailed")
    template.body = "您的社保卡已寄出,运单号{waybill},验证码{code}"
    with pytest.raises(ValidationError) as caught:
        template.save()
    assert "{code}" in str(caught.value)
    template.refresh_from_db()
    assert "{code}" not in template.body


def test_admin_template_editor_refuses_unknown_variable_and_shows_length(client, staff):
    client.force_login(staff)
    template = SmsTemplate.objects.get(code="card_mailed")
    url = f"/staff/admin/notifications/smstemplate/{template.pk}/change/"
    page = client.get(url).content.decode()
    assert "条短信" in page and "{waybill}" in page
    response = client.post(url, {"body": "运单号{waybil}", "urgent": "", "tencent_template_id": "",
                                 "aliyun_template_code": ""})
    assert response.status_code == 200
    assert "未知变量" in response.content.decode()
    response = client.post(url, {"body": "您的社保卡已寄出,快递单号{waybill}。", "urgent": "",
                                 "tencent_template_id": "1", "aliyun_template_code": ""})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "您的社保卡已寄出,快递单号{waybill}。"


def test_edited_template_is_used_for_new_messages(queue):
    from sscard.notifications.models import ConsoleMessage

    template = SmsTemplate.objects.get(code="card_mailed")
    template.body = "快递{waybill}已发出。"
    template.save()
    queue("card_mailed", context={"waybill": "SF9"})
    assert ConsoleMessage.objects.get().body == "【中山人社】快递SF9已发出。"


def test_default_templates_are_loaded_and_ensure_is_idempotent():
    from sscard.notifications.templates import ensure_default_templates
    from sscard.notifications.templates_text import DEFAULT_TEMPLATES

    assert set(SmsTemplate.objects.values_list("code", flat=True)) == set(DEFAULT_TEMPLATES)
    SmsTemplate.objects.filter(code="card_mailed").update(body="改过的{waybill}")
    SmsTemplate.objects.filter(code="loss_reported").delete()
    assert ensure_default_templates() == 1
    assert SmsTemplate.objects.get(code="card_mailed").body == "改过的{waybill}"


def test_requeue_action_resends_only_temporary_failures(client, staff, fake_sms, settings, queue, clock, sweep):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_MAX_ATTEMPTS = 1
    fake_sms.plan("tencent", ["throttled"])
    n = queue()
    assert n.state == "failed" and n.failure_kind == "temporary"
    client.force_login(staff)

    response = client.post(
        "/staff/admin/notifications/notification/",
        {"action": "requeue_failed", "_selected_action": [n.pk]},
    )
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.state == "sent"
    assert fake_sms.sends() == 2 and len(fake_sms.accepted) == 1
    assert Notification.objects.count() == 1
