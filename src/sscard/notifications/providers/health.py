"""Weighted failover: the order in which one message tries the configured providers.

Each provider's health lives in the shared cache (Redis when ``REDIS_URL`` is set, so every worker sees the same
picture). A provider's score is its configured weight divided by (1 + consecutive failures): after one failure a
healthy peer goes first. After ``FAILURES_TO_DEMOTE`` failures in a row it is demoted: tried only when nothing else
is left. Either way, ``SMS_PROVIDER_COOLDOWN`` seconds after its last failure one message probes it first; a success
resets it to its full weight, a failure starts a new cool-down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from sscard.notifications.providers import Configured, configured

log = logging.getLogger("sscard.notifications")

FAILURES_TO_DEMOTE = 3
_KEY = "sms:provider-health:{}"


@dataclass
class Health:
    failures: int = 0
    demoted_until: float = 0.0


def _load(name: str) -> Health:
    raw = cache.get(_KEY.format(name))
    return Health(**raw) if raw else Health()


def _store(name: str, health: Health) -> None:
    cache.set(_KEY.format(name), {"failures": health.failures, "demoted_until": health.demoted_until}, 24 * 3600)


def ordered(now: float | None = None) -> list[str]:
    """Provider names, best first."""
    now = timezone.now().timestamp() if now is None else now
    healthy: list[tuple[float, int, str]] = []
    probes: list[str] = []
    demoted: list[tuple[float, str]] = []
    entry: Configured
    for entry in configured():
        health = _load(entry.name)
        if health.failures and now >= health.demoted_until:
            probes.append(entry.name)
            # One probe per cool-down: the other workers keep using the healthy providers meanwhile.
            health.demoted_until = now + settings.SMS_PROVIDER_COOLDOWN
            _store(entry.name, health)
            continue
        if health.failures >= FAILURES_TO_DEMOTE:
            demoted.append((health.demoted_until, entry.name))
            continue
        healthy.append((-entry.weight / (1 + health.failures), entry.rank, entry.name))
    return probes + [name for *_, name in sorted(healthy)] + [name for _, name in sorted(demoted)]


def record_success(name: str) -> None:
    health = _load(name)
    if health.failures:
        log.info("sms_provider_recovered provider=%s after_failures=%s", name, health.failures)
        _store(name, Health())


def record_failure(name: str, reason: str, now: float | None = None) -> None:
    now = timezone.now().timestamp() if now is None else now
    health = _load(name)
    health.failures += 1
    health.demoted_until = now + settings.SMS_PROVIDER_COOLDOWN
    if health.failures >= FAILURES_TO_DEMOTE:
        log.warning("sms_provider_demoted provider=%s reason=%s failures=%s", name, reason, health.failures)
    _store(name, health)


def snapshot() -> list[dict]:
    """For the dashboard: each configured provider's weight and health."""
    now = timezone.now().timestamp()
    rows = []
    for entry in configured():
        health = _load(entry.name)
        demoted = health.failures >= FAILURES_TO_DEMOTE and now < health.demoted_until
        rows.append(
            {
                "name": entry.name,
                "weight": entry.weight,
                "failures": health.failures,
                "demoted": demoted,
                "demoted_seconds": int(health.demoted_until - now) if demoted else 0,
            }
        )
    return rows
