"""Fixtures for the notification tests: a controllable clock, a clean provider-health cache, the fake providers."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.support.sms_fakes import FakeSmsServer

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now

    def set_local(self, hour: int, minute: int = 0) -> None:
        local = self.now.astimezone(BEIJING)
        self.now = local.replace(hour=hour, minute=minute).astimezone(datetime.UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Time stands still at 10:00 Beijing time (outside quiet hours) unless a test moves it."""
    fixed = Clock(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=BEIJING).astimezone(datetime.UTC))
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


@pytest.fixture(autouse=True)
def _clean_health():
    from sscard.notifications.templates import clear_cache

    cache.clear()
    clear_cache()  # template rows differ between tests (each test's transaction is rolled back)
    yield
    cache.clear()
    clear_cache()


@pytest.fixture
def fake_sms(settings, db):
    """Both SDKs pointed at a local fake provider; Tencent first, Aliyun second; template ids registered."""
    from sscard.notifications.models import SmsTemplate

    server = FakeSmsServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_PROVIDER_TIMEOUT = 3
    for template in SmsTemplate.objects.all():
        template.tencent_template_id = f"1{template.pk:05d}"
        template.aliyun_template_code = f"SMS_{template.pk:07d}"
        template.save()
    yield server
    server.stop()


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """Queue one SMS in its own transaction and run the send task on commit, as the lifecycles do."""
    from sscard.notifications import outbox

    def _queue(template_code="application_approved", phone="13800138000", context=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                n = outbox.queue_sms(phone, template_code, context or {"acceptance_number": "SB001"}, **kwargs)
        if n is not None:
            n.refresh_from_db()
        return n

    return _queue


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """One sweep and the dispatch of what it found due, as the periodic task runs them."""
    from sscard.notifications import tasks

    def _sweep(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.sweep_and_dispatch(**kwargs)

    return _sweep
