"""The administrator-edited SMS texts, with the shipped defaults behind them."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from sscard.notifications.constants import TEMPLATE_SPECS
from sscard.notifications.models import SmsTemplate
from sscard.notifications.templates_text import DEFAULT_TEMPLATES

# Every queued and every sent SMS reads its template: keep each for a few seconds per process. An edit in the
# admin clears this process's copy at once and reaches the other processes within CACHE_SECONDS.
CACHE_SECONDS = 5.0
_cache: dict[str, tuple[float, SmsTemplate]] = {}


def clear_cache() -> None:
    _cache.clear()


# Registered with the cache it clears: a process that never imported this module has no cache to clear.
@receiver(post_save, sender=SmsTemplate, dispatch_uid="sscard.notifications.templates.clear_cache")
def _template_saved(**kwargs) -> None:
    clear_cache()


def get_template(code: str) -> SmsTemplate:
    """The template row for ``code``; an unsaved default if the table has none (a fresh install still sends)."""
    if code not in TEMPLATE_SPECS:
        raise ValueError(f"unknown SMS template {code!r}")
    cached = _cache.get(code)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    found = SmsTemplate.objects.filter(code=code).first()
    if found is None:
        found = SmsTemplate(code=code, body=DEFAULT_TEMPLATES[code], urgent=TEMPLATE_SPECS[code].urgent)
    _cache[code] = (time.monotonic() + CACHE_SECONDS, found)
    return found


def ensure_default_templates() -> int:
    """Create the rows that are missing from the defaults (never overwrite an administrator's text)."""
    created = 0
    for code, body in DEFAULT_TEMPLATES.items():
        if SmsTemplate.objects.filter(code=code).exists():
            continue
        try:
            with transaction.atomic():
                SmsTemplate.objects.create(code=code, body=body, urgent=TEMPLATE_SPECS[code].urgent)
            created += 1
        except IntegrityError:  # created meanwhile by another process
            pass
    return created
