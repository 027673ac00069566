"""Every unhandled error is logged with its traceback, through the configured handler, with ID numbers and
mobile numbers masked in the message, the arguments and the traceback (settings.LOGGING, common.logmask)."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client
from django.urls import path

from tests.support.logaudit import leaks

ID_NUMBER = "44200019900101123X"
PHONE = "13812345678"


def _boom(request):
    raise ValueError(f"no person for id_number={ID_NUMBER} phone={PHONE}")


urlpatterns = [path("boom/", _boom)]


@pytest.fixture
def stderr_of_the_configured_handler():
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls(__name__)
def test_an_unhandled_error_is_logged_with_its_traceback_and_masked(db, stderr_of_the_configured_handler):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()  # the Chinese 500 page, not Django's English one
    written = stderr_of_the_configured_handler.getvalue()
    assert "ERROR django.request Internal Server Error: /boom/" in written
    assert "Traceback (most recent call last)" in written and "ValueError" in written
    assert "4420**********123X" in written and "138****5678" in written
    assert ID_NUMBER not in written and PHONE not in written and not leaks(written)


def test_arguments_and_tracebacks_of_any_logger_are_masked(stderr_of_the_configured_handler):
    log = logging.getLogger("sscard.test")
    log.warning("lookup failed id=%s phone=+86%s", ID_NUMBER, PHONE)
    try:
        raise KeyError(PHONE)
    except KeyError:
        logging.getLogger("some.library").exception("failed")
    written = stderr_of_the_configured_handler.getvalue()
    assert "id=4420**********123X phone=+86138****5678" in written
    assert "KeyError: '138****5678'" in written
    assert not leaks(written)
