"""The configuration layer: one place reads the environment, and .env.example lists every variable."""

import re
import socket
import subprocess
import sys

import pytest

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


def _run_sscard(args, env):
    return subprocess.run(
        [sys.executable, "-m", "sscard.cli", *args],
        env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=False, timeout=120,
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("env", "names"), [
    ({"SSCARD_PRODUCTION": "true"}, "SECRET_KEY"),
    ({"DATABASE_URL": "postgress://db.example/sscard"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://u@127.0.0.1/sscard"}, "MySQLdb"),
])
def test_a_wrong_start_up_configuration_is_named_not_a_silent_exit(tmp_path, env, names):
    done = _run_sscard(["check"], {"SSCARD_VAR_DIR": str(tmp_path), **env})
    assert done.returncode == 2
    assert done.stderr.startswith("sscard 无法启动") and names in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_database_is_named(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{_free_port()}/sscard"
    done = _run_sscard(["migrate", "--no-input"], {"SSCARD_VAR_DIR": str(tmp_path), "DATABASE_URL": url})
    assert done.returncode == 2
    assert "无法连接数据库" in done.stderr and "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr


def test_an_unusable_var_folder_is_named(tmp_path):
    not_a_folder = tmp_path / "var"
    not_a_folder.write_text("")
    done = _run_sscard(["check"], {"SSCARD_VAR_DIR": str(not_a_folder)})
    assert done.returncode == 2
    assert "SSCARD_VAR_DIR" in done.stderr and str(not_a_folder) in done.stderr and "Traceback" not in done.stderr


def _bind_and_control(argv):
    bind = argv[argv.index("--bind") + 1]
    control = argv[argv.index("--control-socket") + 1] if "--control-socket" in argv else None
    return bind, control


def test_serve_listens_on_the_loopback_unless_told_and_has_its_own_control_socket(monkeypatch, tmp_path):
    from sscard import cli

    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    monkeypatch.setattr(config, "PORT", 8123)
    bind, control = _bind_and_control(cli.serve_argv([]))
    assert bind == "127.0.0.1:8123"
    assert control == str(tmp_path / "run" / "gunicorn-8123.ctl")
    monkeypatch.setattr(config, "PORT", 8124)
    assert _bind_and_control(cli.serve_argv([]))[1] != control  # two instances, two sockets
    monkeypatch.setattr(config, "BIND_HOST", "0.0.0.0")
    assert _bind_and_control(cli.serve_argv([]))[0] == "0.0.0.0:8124"


def test_the_bind_address_comes_from_the_environment(tmp_path):
    probe = "from sscard import cli; a = cli.serve_argv([]); print(a[a.index('--bind') + 1])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin", "SSCARD_VAR_DIR": str(tmp_path), "SSCARD_BIND": "::1",
                               "PORT": "9001"})
    assert done.stdout.strip() == "[::1]:9001"
