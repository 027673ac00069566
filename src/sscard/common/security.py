"""Response headers that keep personal data out of caches.

A page a signed-in citizen or staff member sees carries names, masked ID numbers, addresses and card
states; a shared computer's browser cache, a back button after sign-out or a caching proxy must not
keep it. Every channel-API answer is about one citizen, so the whole API is treated the same way.
Static files are served by WhiteNoise before this middleware runs and keep their long cache lifetimes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

from sscard.common.error_pages import is_api

# The citizen's session key (sscard.accounts.web.SESSION_KEY): read by name, because common sits below
# accounts and may not import it; tests/common/test_security_headers.py signs a citizen in to keep the two in step.
CITIZEN_SESSION_KEY = "citizen_id"


def is_personal(request: HttpRequest) -> bool:
    """Whether the answer to this request may carry someone's personal data."""
    if is_api(request):
        return True
    if request.method not in ("GET", "HEAD"):  # a form shown again carries what the person typed
        return True
    if getattr(request, "citizen", None) is not None:
        return True
    session = getattr(request, "session", None)
    if session is not None and session.get(CITIZEN_SESSION_KEY):  # signed in by this very request
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for old proxies) on personal answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_personal(request):
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
            response["Pragma"] = "no-cache"
        return response
