"""The dashboards' pages and their CSV exports (supervisors only).

The list of overdue reviews the SLA panel links to is the review desk's own (``review:overdue``), which
supervisors may open.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sscard import audit
from sscard.dashboards.figures import PAGES
from sscard.dashboards.period import parse_period
from sscard.staff.access import require_perm

PERM = "staff.view_dashboard"


def _period(request):
    return parse_period(request.GET.get("from", ""), request.GET.get("to", ""), timezone.localdate())


@require_perm(PERM)
@never_cache
def page(request, code: str):
    current = PAGES[code]
    period, errors = _period(request)
    panels = current.build(period) if period else []
    context = {"page": current, "pages": PAGES.values(), "period": period, "errors": errors, "panels": panels,
               "raw": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}}
    return render(request, "dashboards/page.html", context, status=400 if errors else 200)


@require_perm(PERM)
@never_cache
def export(request, page_code: str, table_code: str):
    current = PAGES.get(page_code)
    if current is None:
        raise Http404("没有这个统计页面")
    period, errors = _period(request)
    if errors:
        return HttpResponse("；".join(errors), status=400, content_type="text/plain; charset=utf-8")
    tables = {t.code: t for panel in current.build(period) for t in panel.exports}
    table = tables.get(table_code)
    if table is None:
        raise Http404("没有这张统计表")
    response = HttpResponse(table.csv_text().encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = table.csv_filename(f"{period.first:%Y%m%d}-{period.last:%Y%m%d}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit.record(request, "dashboards.export", obj_kind="dashboard", obj_id=table.code,
                 details={"from": period.first.isoformat(), "to": period.last.isoformat(), "rows": len(table.rows)})
    return response
