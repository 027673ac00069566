"""A small registry of SMS provider plugins, chosen by the ``SMS_PROVIDERS`` setting.

``SMS_PROVIDERS = ["tencent:3", "aliyun:1"]``: names in priority order with optional weights. The order a
message tries them in comes from :mod:`.health` (a failing provider loses priority, regains it on recovery).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

from sscard.notifications.providers.base import ErrorKind, OutgoingSms, ProviderError, SendResult, SmsProvider

__all__ = [
    "ErrorKind",
    "OutgoingSms",
    "ProviderError",
    "SendResult",
    "SmsProvider",
    "configured",
    "get_provider",
    "register",
]

_PLUGINS: dict[str, str] = {
    "console": "sscard.notifications.providers.console.ConsoleProvider",
    "tencent": "sscard.notifications.providers.tencent.TencentProvider",
    "aliyun": "sscard.notifications.providers.aliyun.AliyunProvider",
}
_instances: dict[tuple, SmsProvider] = {}


def register(name: str, dotted_path: str) -> None:
    """Add a plugin (another provider, or a test double) under ``name``."""
    _PLUGINS[name] = dotted_path
    for key in [k for k in _instances if k[0] == name]:
        del _instances[key]


@dataclass(frozen=True)
class Configured:
    name: str
    weight: float
    rank: int


def configured() -> list[Configured]:
    result = []
    for rank, entry in enumerate(settings.SMS_PROVIDERS):
        name, _, weight = entry.partition(":")
        name = name.strip()
        if name not in _PLUGINS:
            raise ValueError(f"unknown SMS provider {name!r} in SMS_PROVIDERS")
        result.append(Configured(name, float(weight) if weight else 1.0, rank))
    return result


def get_provider(name: str) -> SmsProvider:
    # Clients are built once per configuration (SDK clients keep connection pools); a settings change
    # (tests, a reload) builds new ones.
    key = (name, _PLUGINS[name], repr(getattr(settings, "SMS_TENCENT", None)),
           repr(getattr(settings, "SMS_ALIYUN", None)), settings.SMS_PROVIDER_TIMEOUT)
    provider = _instances.get(key)
    if provider is None:
        module_name, _, class_name = _PLUGINS[name].rpartition(".")
        provider = getattr(import_module(module_name), class_name)()
        _instances[key] = provider
    return provider
