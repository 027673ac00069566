"""The contract every SMS provider plugin fulfils. The rest of the code never imports a provider module."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ErrorKind(enum.Enum):
    # The provider said no and nothing was sent: safe to retry, here or at another provider.
    TEMPORARY = "temporary"
    # Retrying cannot help (invalid number, template not approved): the message fails.
    PERMANENT = "permanent"
    # We do not know whether it was sent (timeout after the request left, reset connection): never resend
    # blindly; the next attempt first asks this provider whether it has the message (``lookup``).
    UNKNOWN = "unknown"


class ProviderError(Exception):
    def __init__(self, kind: ErrorKind, reason: str, detail: str = "") -> None:
        super().__init__(f"{kind.value}:{reason} {detail}".strip())
        self.kind = kind
        self.reason = reason
        self.detail = detail[:150]


@dataclass(frozen=True)
class OutgoingSms:
    idempotency_key: str
    phone: str  # mainland number without +86
    body: str  # the full text with signature (console provider, logs never)
    template_code: str
    params: dict[str, str] = field(default_factory=dict)  # ordered as the variables appear in the template
    sign_name: str = ""
    tencent_template_id: str = ""
    aliyun_template_code: str = ""
    sent_after: float = 0.0  # epoch seconds: lookups need not search before this


@dataclass(frozen=True)
class SendResult:
    message_id: str


class SmsProvider:
    name: str = ""
    label: str = ""
    # Seconds after a send during which ``lookup`` may not list the message yet, so "not found" does not
    # mean "not sent": the outbox waits this long after an unknown outcome before it sends again.
    lookup_lag: int = 0

    def send(self, sms: OutgoingSms) -> SendResult:
        raise NotImplementedError

    def lookup(self, sms: OutgoingSms) -> SendResult | None:
        """Did this provider accept ``sms`` (matched by its idempotency key)? None: it has no such message.

        Raises ``ProviderError`` when the provider cannot tell now.
        """
        raise ProviderError(ErrorKind.UNKNOWN, "lookup_unsupported")


def national_number(phone: str) -> str:
    return phone.strip().removeprefix("+86").removeprefix("0086")
