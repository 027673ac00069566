"""Production mode: refuses demo doors and weak keys at start-up, and passes Django's deploy checks (issue #10).

The start-up tests run ``sscard`` in a child process with a production environment, as an operator would:
settings are read once per process, so overriding them inside the test process would prove nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from sscard import config
from sscard.api.client import ChannelClient, DjangoTestSession
from sscard.api.demo import DEMO_PARTNERS
from sscard.api.models import ChannelPartner
from tests.conftest import REPO_ROOT

GOOD_KEY = "p9Z-" + "x7Qm2Lr8Vt4Ka1Ns6Dw3Hy5Ju0Bc" * 2  # 60 characters, many different
ROOT_FLAGS = {"production": True, "demo": False, "debug": False, "card_maker_simulator": False}


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    # An operator's shell: none of our variables, and none a test process sets for itself (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE, which Django's deploy check rightly refuses).
    env = {key: value for key, value in os.environ.items()
           if key not in config.REGISTRY and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "SSCARD_PRODUCTION": "true",
        "SSCARD_VAR_DIR": str(tmp_path),
        "SECRET_KEY": GOOD_KEY,
        "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
        "LOOKUP_HMAC_KEY": "lookup-key-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "sscard.example.gov.cn",
        "DJANGO_SETTINGS_MODULE": "sscard.settings",
    })
    env.update(overrides)
    return env


def sscard(tmp_path, *argv: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sscard.cli", *argv], env=production_env(tmp_path, **overrides), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=120,
    )


# --- the rule itself (pure) ---------------------------------------------------------------------


def test_outside_production_nothing_is_refused():
    assert config.production_refusals(
        production=False, demo=True, debug=True, card_maker_simulator=True, secret_key="x"
    ) == []


def test_a_good_production_configuration_passes():
    assert config.production_refusals(**ROOT_FLAGS, secret_key=GOOD_KEY) == []


def test_demo_mode_in_production_is_refused_naming_both_variables_in_english_and_chinese():
    [message] = config.production_refusals(**{**ROOT_FLAGS, "demo": True}, secret_key=GOOD_KEY)
    assert "SSCARD_PRODUCTION=true" in message and "SSCARD_DEMO=true" in message
    assert "cannot be set together" in message and "生产模式" in message and "演示模式" in message


@pytest.mark.parametrize("key", ["x", "a" * 49, "ab" * 40, "django-insecure-" + GOOD_KEY])
def test_short_repetitive_or_django_insecure_keys_are_refused(key):
    [message] = config.production_refusals(**ROOT_FLAGS, secret_key=key)
    assert "SECRET_KEY" in message and "50" in message


@pytest.mark.parametrize("flag", ["debug", "card_maker_simulator"])
def test_debug_and_the_demo_card_maker_are_refused(flag):
    assert len(config.production_refusals(**{**ROOT_FLAGS, flag: True}, secret_key=GOOD_KEY)) == 1


# --- what the operator sees -----------------------------------------------------------------------


def test_starting_with_demo_mode_in_production_fails_loudly(tmp_path):
    result = sscard(tmp_path, "check", SSCARD_DEMO="true")
    assert result.returncode != 0
    assert "SSCARD_PRODUCTION=true" in result.stderr and "SSCARD_DEMO=true" in result.stderr
    assert "演示模式" in result.stderr


def test_a_one_character_secret_key_stops_production(tmp_path):
    result = sscard(tmp_path, "check", SECRET_KEY="x")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr and "至少 50 个字符" in result.stderr


def test_deploy_check_reports_no_transport_or_key_warnings(tmp_path):
    result = sscard(tmp_path, "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for warning in ("W004", "W008", "W009", "W012", "W016", "W018", "W020"):
        assert f"security.{warning}" not in output, output


def test_the_proxy_header_is_only_trusted_when_configured(tmp_path):
    show = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    plain = sscard(tmp_path, "shell", "-c", show)
    proxied = sscard(tmp_path, "shell", "-c", show, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert plain.stdout.strip().splitlines()[-1] == "None", plain.stderr
    assert proxied.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", proxied.stderr


# --- demo doors stay shut even with demo rows in the database ---------------------------------------


@pytest.mark.django_db
def test_demo_partners_open_nothing_in_production(settings):
    for app_id, name, channel, secret in DEMO_PARTNERS:
        ChannelPartner.objects.create(app_id=app_id, name=name, channel=channel, secret=secret)
    # A partner of the bureau's that reuses a published demo secret under another App ID is refused too.
    ChannelPartner.objects.create(app_id="renamed", name="改名的演示渠道", channel="h5", secret=DEMO_PARTNERS[0][3])
    callers = [(app_id, secret) for app_id, _, _, secret in DEMO_PARTNERS] + [("renamed", DEMO_PARTNERS[0][3])]

    def towns(app_id, secret):
        return ChannelClient("http://testserver/api/v1", app_id, secret, DjangoTestSession(Client())).towns()

    assert all(towns(*caller).status_code == 200 for caller in callers)  # in demo mode they work
    settings.SSCARD_PRODUCTION = True
    for caller in callers:
        response = towns(*caller)
        assert response.status_code == 401 and response.json()["code"] == "unknown_app"


@pytest.mark.django_db
def test_the_demo_sms_inbox_is_not_found_in_production(client, settings):
    settings.SSCARD_DEMO = True
    assert client.get("/dev/sms").status_code == 200
    settings.SSCARD_PRODUCTION = True
    assert client.get("/dev/sms").status_code == 404
