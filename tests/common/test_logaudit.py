"""The suite-wide log audit (tests/support/logaudit.py) finds what it must, and truly fails a run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT
from tests.support.logaudit import leaks


def test_the_checker_finds_clear_numbers_and_passes_masked_ones():
    assert leaks("id=44200019900101123X phone 13812345678") == ["44200019900101123X", "13812345678"]
    assert leaks("id=4420**********123X phone 138****5678 order 20240101123456789012 ts 1712345678") == []


def test_a_leaking_test_fails_the_whole_run(tmp_path):
    # A run of its own with the plugin and the real LOGGING. One test logs while the configured handler has
    # lost its masking filter (as a LOGGING without it would): the run must fail and name that test.
    (tmp_path / "test_leak.py").write_text(textwrap.dedent("""
        import logging

        def test_leaks():
            handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
            kept = list(handler.filters)
            handler.filters.clear()
            try:
                logging.getLogger("sscard.leaky").warning("id %s", "44200019900101123X")
            finally:
                handler.filters.extend(kept)

        def test_masked():
            logging.getLogger("sscard.fine").warning("id %s", "4420**********123X")
    """))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(REPO_ROOT),
         "-c", str(REPO_ROOT / "pyproject.toml"), "--confcutdir", str(REPO_ROOT),
         "-p", "tests.support.logaudit", str(tmp_path / "test_leak.py")],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert "2 passed" in run.stdout, run.stdout[-2000:]
    assert run.returncode == 1, run.stdout[-2000:]
    assert "show an ID number or a mobile number in clear" in run.stdout
    listed = run.stdout.split("in clear")[1]
    assert "test_leaks" in listed and "test_masked" not in listed
