"""Read-only look-ups of branches, for the citizen pages, the channel API and the journey services."""

from __future__ import annotations

from django.db.models import QuerySet

from sscard.delivery.models import Branch


def active_branches(*, town: str = "", handles_permits: bool | None = None) -> QuerySet[Branch]:
    """Branches open for business, by town and code; only one town's, or only those taking permits, if asked."""
    rows = Branch.objects.filter(active=True)
    if town:
        rows = rows.filter(town=town)
    if handles_permits is not None:
        rows = rows.filter(handles_permits=handles_permits)
    return rows.order_by("town", "code")


def is_open_branch(code: str) -> bool:
    return Branch.objects.filter(code=code, active=True).exists()


def branch_by_code(code: str) -> Branch | None:
    return Branch.objects.filter(code=code).first() if code else None
