"""Every audit query in one place: the supervisor's search."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from sscard.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    acceptance_number: str = ""


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(f: AuditFilter) -> QuerySet[AuditEntry]:
    """Newest first; each filter narrows it. Dates are local days, both ends included."""
    rows = AuditEntry.objects.order_by("-at", "-id")
    if f.user_id:
        rows = rows.filter(user_id=f.user_id)
    if f.action:
        rows = rows.filter(action=f.action)
    if f.date_from:
        rows = rows.filter(at__gte=_local_midnight(f.date_from))
    if f.date_to:
        rows = rows.filter(at__lt=_local_midnight(f.date_to + datetime.timedelta(days=1)))
    if f.acceptance_number:
        rows = rows.filter(acceptance_number=f.acceptance_number)
    return rows
