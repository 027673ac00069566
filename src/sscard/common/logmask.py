"""The log filter that keeps ID numbers and mobile numbers out of every log line, traceback included.

A record's message, its arguments and its formatted traceback can each carry what a citizen typed (an
exception's text often quotes the input). The filter renders the message once, masks it, and replaces the
traceback's text by its masked form, so every handler after it writes only the masked form. No Django here: the
filter is configured from ``settings.LOGGING`` and also serves the test suite's log audit.
"""

from __future__ import annotations

import logging

from sscard.identity.masking import mask_personal_text

_formatter = logging.Formatter()


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record: keep what there is
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = mask_personal_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            # A formatter renders exc_text when it is set (it only formats exc_info when exc_text is empty).
            record.exc_text = mask_personal_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_text(record.stack_info)
        return True
