"""The configuration layer: one place reads the environment, and .env.example lists every variable."""

import re
import subprocess
import sys

from sscard import config


def test_env_example_is_in_step_with_the_declarations():
    committed = (config.BASE_DIR / ".env.example").read_text()
    assert committed == config.env_example(), "run `make env-example` and commit .env.example"


def test_every_variable_has_a_help_line():
    for variable in config.REGISTRY.values():
        assert variable.help.strip(), variable.name
    for needed in ["SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "STORAGE_BACKEND",
                   "FIELD_ENCRYPTION_KEYS", "SMS_PROVIDERS", "TIME_ZONE", "LANGUAGE_CODE"]:
        assert needed in config.REGISTRY


def test_nothing_else_reads_the_environment():
    src = config.BASE_DIR / "src" / "sscard"
    offenders = []
    for path in src.rglob("*.py"):
        if path.name in {"config.py", "settings_test.py", "cli.py", "wsgi.py", "asgi.py"}:
            continue
        if re.search(r"os\.environ|os\.getenv", path.read_text()):
            offenders.append(str(path.relative_to(src)))
    assert offenders == []


def _run_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import sscard.settings"],
        env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=False,
    )


def test_production_mode_refuses_to_start_without_secrets(tmp_path):
    done = _run_settings({"SSCARD_PRODUCTION": "true", "SSCARD_VAR_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "SECRET_KEY must be set in production mode" in done.stderr


def test_a_malformed_value_stops_start_up_with_its_name(tmp_path):
    done = _run_settings({"DEBUG": "maybe", "SSCARD_VAR_DIR": str(tmp_path)})
    assert done.returncode != 0 and "DEBUG='maybe' is invalid" in done.stderr


def test_development_secrets_are_generated_once(tmp_path):
    assert _run_settings({"SSCARD_VAR_DIR": str(tmp_path)}).returncode == 0
    first = (tmp_path / "secrets" / "secret_key").read_text()
    assert _run_settings({"SSCARD_VAR_DIR": str(tmp_path)}).returncode == 0
    assert (tmp_path / "secrets" / "secret_key").read_text() == first
