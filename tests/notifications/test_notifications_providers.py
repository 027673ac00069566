"""The real SDKs against the local fake provider: the request they produce and how answers are classified."""

import pytest

from sscard.notifications.providers import ErrorKind, OutgoingSms, ProviderError, get_provider

pytestmark = pytest.mark.django_db


def _sms(**overrides):
    fields = dict(
        idempotency_key="0b3f6c1e-0000-4000-8000-000000000001",
        phone="13800138000",
        body="【中山人社】您的社保卡申领(编号SB1)已审核通过,即将制卡。",
        template_code="application_approved",
        params={"acceptance_number": "SB1"},
        sign_name="中山人社",
        tencent_template_id="100001",
        aliyun_template_code="SMS_0000001",
    )
    fields.update(overrides)
    return OutgoingSms(**fields)


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
def test_send_produces_a_signed_request_with_our_parameters(fake_sms, provider):
    result = get_provider(provider).send(_sms())
    assert fake_sms.signature_failures == 0
    [accepted] = fake_sms.accepted
    assert accepted.message_id == result.message_id
    assert accepted.idempotency_key == "0b3f6c1e-0000-4000-8000-000000000001"
    assert accepted.sign_name == "中山人社"
    if provider == "tencent":
        assert (accepted.phone, accepted.template, accepted.params) == ("+8613800138000", "100001", ["SB1"])
    else:
        assert (accepted.phone, accepted.template, accepted.params) == (
            "13800138000", "SMS_0000001", {"acceptance_number": "SB1"}
        )


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
def test_a_wrong_secret_is_caught_by_the_signature_check(fake_sms, settings, provider):
    if provider == "tencent":
        settings.SMS_TENCENT = {**settings.SMS_TENCENT, "secret_key": "not-the-secret"}
    else:
        settings.SMS_ALIYUN = {**settings.SMS_ALIYUN, "access_key_secret": "not-the-secret"}
    with pytest.raises(ProviderError) as caught:
        get_provider(provider).send(_sms())
    assert fake_sms.signature_failures == 1
    assert caught.value.kind is ErrorKind.TEMPORARY  # a provider-side problem: another provider may take it
    assert fake_sms.accepted == []


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
@pytest.mark.parametrize(
    ("outcome", "kind", "reason"),
    [
        ("throttled", ErrorKind.TEMPORARY, "throttled"),
        ("invalid_number", ErrorKind.PERMANENT, "invalid_number"),
        ("server_error", ErrorKind.TEMPORARY, "server_error"),
        ("lost_answer", ErrorKind.UNKNOWN, "no_answer"),
    ],
)
def test_provider_answers_are_classified(fake_sms, provider, outcome, kind, reason):
    fake_sms.plan(provider, [outcome])
    with pytest.raises(ProviderError) as caught:
        get_provider(provider).send(_sms())
    assert (caught.value.kind, caught.value.reason) == (kind, reason)
    assert fake_sms.sends(provider) == 1
    assert len(fake_sms.accepted) == (1 if outcome == "lost_answer" else 0)


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
def test_provider_down_and_unreachable_are_temporary(fake_sms, settings, provider):
    fake_sms.down.add(provider)
    with pytest.raises(ProviderError) as caught:
        get_provider(provider).send(_sms())
    assert caught.value.kind is ErrorKind.TEMPORARY

    settings.SMS_TENCENT = {**settings.SMS_TENCENT, "endpoint": "http://127.0.0.1:9"}
    settings.SMS_ALIYUN = {**settings.SMS_ALIYUN, "endpoint": "http://127.0.0.1:9"}
    with pytest.raises(ProviderError) as caught:
        get_provider(provider).send(_sms())
    assert (caught.value.kind, caught.value.reason) == (ErrorKind.TEMPORARY, "unreachable")


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
def test_lookup_finds_a_message_by_its_idempotency_key(fake_sms, provider):
    client = get_provider(provider)
    assert client.lookup(_sms()) is None
    sent = client.send(_sms())
    found = client.lookup(_sms())
    assert found is not None
    if provider == "tencent":
        assert found.message_id == sent.message_id
    assert client.lookup(_sms(idempotency_key="0b3f6c1e-0000-4000-8000-000000000002")) is None
    assert fake_sms.signature_failures == 0


def test_missing_provider_template_id_is_not_sent(fake_sms):
    with pytest.raises(ProviderError) as caught:
        get_provider("tencent").send(_sms(tencent_template_id=""))
    assert caught.value.reason == "template_not_registered"
    assert fake_sms.sends() == 0


def test_console_provider_is_idempotent_by_key(db):
    from sscard.notifications.models import ConsoleMessage

    console = get_provider("console")
    first = console.send(_sms())
    again = console.send(_sms())
    assert first == again
    assert ConsoleMessage.objects.count() == 1
    assert console.lookup(_sms()) == first
