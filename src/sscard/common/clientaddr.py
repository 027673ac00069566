"""The citizen's address as the service should count it: ``REMOTE_ADDR``, unless that is a trusted proxy.

Behind a load balancer every request comes from the balancer's address, so limits per address would be
shared by every citizen. Only when the peer is a proxy we trust (``TRUSTED_PROXIES``: addresses or
networks; or ``TRUSTED_PROXY_COUNT``: how many proxies stand in front of the service) is
``X-Forwarded-For`` read, from the right: the right-most entry that is not one of our proxies is the
client, because every entry left of it was written by someone we do not trust and can be forged.
With neither setting, ``X-Forwarded-For`` is ignored.

Written here rather than taken from django-ipware: ipware matches trusted proxies by string prefix,
not by network, and this rule is a dozen lines.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: HttpRequest) -> str:
    """The client's address (normalised), for rate limits, staff lockouts and the audit trail."""
    remote = _normal(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR", "")
    proxies = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if not proxies and count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]  # as the hops saw it: client first, our own peer last
    if proxies:
        return _rightmost_untrusted(chain, proxies)
    # A count of proxies: the peer and the count - 1 entries before it are ours; the one before is the client.
    if len(chain) <= count:
        return _normal(chain[0]) or remote
    return _normal(chain[-(count + 1)]) or _normal(chain[-count]) or remote


def _rightmost_untrusted(chain: list[str], proxies: tuple[Network, ...]) -> str:
    nearest = chain[-1]
    for entry in reversed(chain):
        address = _normal(entry)
        if not address:
            # Not an address: our proxy wrote it (or passed it on); count the request under that proxy.
            return nearest
        if not any(ipaddress.ip_address(address) in network for network in proxies):
            return address
        nearest = address
    return nearest  # every hop is one of ours: the request started inside


def _normal(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip().strip("[]")))
    except ValueError:
        return ""


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
