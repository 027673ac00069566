"""A pytest plugin: every log record the test run produces, rendered the way the configured logging renders
it, must show no ID number and no mobile number in clear (issue #10, "Trust").

A handler on the root logger (where ``settings.LOGGING`` sends every record) formats each record, traceback
included, through the filters and formatter of the configured ``console`` handler, the one production writes
to stderr with. Whatever still holds an 18-character ID number or an 11-digit mainland mobile number is
collected; at the end of the session the run fails with the list. Registered from ``tests/conftest.py``.
"""

from __future__ import annotations

import copy
import logging
import re

import pytest

# What a leak looks like: the masked forms (``4420**********1233``, ``138****5678``) do not match.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CONFIGURED_HANDLER = "console"  # settings.LOGGING's handler name


def leaks(text: str) -> list[str]:
    """The unmasked ID numbers and mobile numbers in ``text``."""
    return ID_NUMBER.findall(text) + MOBILE.findall(text)


class AuditHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.findings: list[tuple[str, str, str]] = []  # (test, logger, the rendered line)
        self.current_test = "(outside a test)"

    def _configured(self) -> logging.Handler | None:
        return next((h for h in logging.getLogger().handlers if h.get_name() == CONFIGURED_HANDLER), None)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            rendered = copy.copy(record)  # the configured filter masks in place: leave the original to others
            configured = self._configured()
            if configured is not None:
                for flt in configured.filters:
                    (flt.filter if hasattr(flt, "filter") else flt)(rendered)
                formatter = configured.formatter or logging.Formatter()
            else:
                formatter = logging.Formatter()
            text = formatter.format(rendered)
        except Exception as exc:  # a record that cannot be rendered is itself a finding
            text = f"(could not render: {exc!r}) {record.msg!r} {record.args!r}"
        if found := leaks(text):
            self.findings.append((self.current_test, record.name, f"{', '.join(found)} in: {text[:300]}"))


_handler = AuditHandler()


def pytest_sessionstart(session):
    logging.getLogger().addHandler(_handler)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _handler.current_test = item.nodeid
    yield
    _handler.current_test = "(outside a test)"


def pytest_sessionfinish(session, exitstatus):
    logging.getLogger().removeHandler(_handler)
    if not _handler.findings:
        return
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    lines = [f"  {test} [{logger}] {what}" for test, logger, what in _handler.findings[:50]]
    more = len(_handler.findings) - len(lines)
    print(f"\nFAILED: {len(_handler.findings)} log record(s) show an ID number or a mobile number in clear:\n"
          + "\n".join(lines) + (f"\n  … and {more} more" if more > 0 else ""))
