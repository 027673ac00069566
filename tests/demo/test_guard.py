"""Production refuses every demo command, loudly, and creates nothing (issue #10, item 2).

The walk below finds every management command shipped in ``sscard.demo``: a new one (demo-photos, …) is
covered the day it is written, and fails here if it does not derive from ``DemoCommand``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import sscard.demo.management.commands as demo_commands
from sscard.accounts.models import User
from sscard.api.models import ChannelPartner
from sscard.delivery.models import Branch
from sscard.demo.guard import DemoCommand
from sscard.registry.models import Person
from tests.conftest import REPO_ROOT

COMMANDS = sorted(m.name for m in pkgutil.iter_modules(demo_commands.__path__) if not m.name.startswith("_"))


def test_the_walk_finds_the_demo_commands():
    assert {"load_demo", "demo_staff", "demo_people"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_demo_command_derives_from_the_guarded_base(name):
    module = importlib.import_module(f"{demo_commands.__name__}.{name}")
    assert issubclass(module.Command, DemoCommand), f"{name} must derive from sscard.demo.guard.DemoCommand"


def _rows() -> tuple[int, ...]:
    return (User.objects.count(), Person.objects.count(), Branch.objects.count(), ChannelPartner.objects.count())


@pytest.mark.django_db
@pytest.mark.parametrize("name", COMMANDS)
def test_every_demo_command_refuses_in_production_and_creates_nothing(name, settings, capsys):
    settings.SSCARD_PRODUCTION = True
    before = _rows()
    with pytest.raises(CommandError) as refused:
        call_command(name)
    message = str(refused.value)
    assert "SSCARD_PRODUCTION=true" in message and "生产模式" in message
    assert _rows() == before
    assert "密码" not in capsys.readouterr().out  # no published password or TOTP secret printed either


@pytest.mark.django_db
def test_demo_staff_accounts_are_refused_even_outside_a_command(settings):
    from sscard.demo.staff import ensure_demo_staff

    settings.SSCARD_PRODUCTION = True
    with pytest.raises(CommandError):
        ensure_demo_staff()
    assert not User.objects.exists()


def test_the_sscard_verb_exits_non_zero_with_the_message(tmp_path):
    """What an operator sees: `sscard load-demo` in production prints the refusal and exits 1."""
    env = {
        **os.environ,
        "SSCARD_PRODUCTION": "true",
        "SSCARD_DEMO": "false",
        "DEBUG": "false",
        "SSCARD_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
        "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
        "LOOKUP_HMAC_KEY": "lookup-key-for-this-test-only",
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "sscard.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "sscard.cli", "load-demo"], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "生产模式" in result.stderr and "load-demo" in result.stderr
    assert "Traceback" not in result.stderr
