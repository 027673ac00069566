"""The database away (restarted, failed over, out of connections): a Chinese 503 saying to try again shortly.

Without this a lost connection is an uncaught exception and the person reads "系统繁忙（500）" as if something
had broken for good. A view's database error is answered here (:class:`DatabaseOutageMiddleware`); one raised
by a middleware (the session or the signed-in citizen is read before the view) reaches Django's handler500,
which asks :func:`is_outage` (``error_pages.server_error``). The API's views catch their own exceptions and
answer the same way (``api.errors``). Nothing is half-written: every change is one transaction, rolled back.
Django closes a connection that failed at the end of the request (``close_old_connections``) and
``CONN_HEALTH_CHECKS`` checks a reused one first, so the service works again as soon as the database does.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("sscard.common")

# OperationalError: the server is gone or refuses connections; InterfaceError: the connection was closed
# under us. Other database errors (IntegrityError, DataError…) are bugs or bad data, still a 500.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def outage_response(request: HttpRequest | None) -> HttpResponse:
    from sscard.common.error_pages import error_response  # error_pages asks us about handler500's exception

    return error_response(request, 503)


class DatabaseOutageMiddleware:
    """Answers a view's lost database connection with the 503 page (JSON under /api/), logged once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        # The type and the route only: a driver's message may quote the statement's parameters.
        log.error("database_unavailable type=%s path=%s", type(exception).__name__,
                  request.resolver_match.route if request.resolver_match else "-", exc_info=exception)
        return outage_response(request)
