"""The production desk's reads: batches with their result counts, recent result imports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from sscard.production.constants import ItemResult
from sscard.production.models import Batch, ResultImport


def batches_with_results(limit: int = 50) -> QuerySet[Batch]:
    return Batch.objects.annotate(
        n_pending=Count("items", filter=Q(items__result=ItemResult.PENDING)),
        n_ok=Count("items", filter=Q(items__result=ItemResult.OK)),
        n_failed=Count("items", filter=Q(items__result=ItemResult.FAILED)),
    ).order_by("-created_at", "-id")[:limit]


def recent_imports(limit: int = 20) -> QuerySet[ResultImport]:
    return ResultImport.objects.order_by("-imported_at", "-id")[:limit]
