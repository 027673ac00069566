"""Writing the trail: :func:`record` is what every other app calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sscard.audit.models import AuditEntry
from sscard.common.clientaddr import client_address
from sscard.identity.masking import mask_personal_text

# What must never be stored in clear in ``details``: ID-card-like numbers and mainland mobile numbers;
# anything that looks like one is masked before it is written (the same rule as the log filter's).
_mask_text = mask_personal_text


def masked(value: Any) -> Any:
    """``value`` with every ID-number-like or phone-like string masked, however deep it is nested."""
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, dict):
        return {str(k): masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def record(
    request_or_user,
    action: str,
    *,
    obj_kind: str,
    obj_id: str | int | None,
    acceptance_number: str = "",
    details: dict | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one row: who (the request's user, or the given user), what, on which object.

    Pass the request whenever there is one: the row then carries the client address and browser.
    ``username`` names the person when no one is signed in (a failed sign-in).
    """
    request = request_or_user if isinstance(request_or_user, HttpRequest) else None
    user = getattr(request, "user", None) if request is not None else request_or_user
    if user is not None and not user.is_authenticated:
        user = None
    role = ""
    if user is not None:
        role = user.role or ("superuser" if user.is_superuser else "")
    return AuditEntry.objects.create(
        user_id=user.pk if user is not None else None,
        username=(user.get_username() if user is not None else username)[:150],
        role=role,
        action=action,
        obj_kind=obj_kind,
        obj_id="" if obj_id is None else str(obj_id)[:64],
        acceptance_number=acceptance_number or "",
        details=masked(details or {}),
        ip=(client_address(request) or None) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
    )
