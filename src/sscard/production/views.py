"""The production operator's screen (/staff/production/, permission ``staff.run_batches``): the batches with
their results, 导出新批次 (the zip downloads at once), and the upload of a result file, which shows the same
summary as ``sscard production import-results`` with every bad line in Chinese. Each action is audited.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sscard import audit
from sscard.production import exchange, queries
from sscard.production.models import Batch
from sscard.production.services.export import export_batch
from sscard.production.services.results import import_results as run_import
from sscard.staff.access import require_perm

RUN_BATCHES = "staff.run_batches"
MAX_RESULT_FILE = 20 * 1024 * 1024


def _actor(request) -> str:
    return f"staff:{request.user.get_username()}"


def _page(request, *, summary=None, file_name="", error="", status=200):
    context = {
        "batches": queries.batches_with_results(),
        "imports": queries.recent_imports(),
        "summary": summary,
        "file_name": file_name,
        "upload_error": error,
        "simulator": exchange.simulator_on(),
    }
    return render(request, "production/batches.html", context, status=status)


@require_perm(RUN_BATCHES)
def batches(request):
    return _page(request)


@require_POST
@require_perm(RUN_BATCHES)
def export(request):
    exported = export_batch(exchange.to_maker(), actor=_actor(request))
    audit.record(request, "production.export_batch", obj_kind="batch", obj_id=exported.batch,
                 details={"count": exported.count, "returned_for_photo": list(exported.returned)})
    if exported.returned:
        messages.warning(request, f"{len(exported.returned)}份申领的证件照无法制成制卡照片，已退回申领人重新上传："
                                  f"{'、'.join(exported.returned)}。")
    if not exported.count:
        messages.info(request, "现在没有待送制的申领（审核通过或制卡失败待重做的），未生成批次。")
        return redirect("production:batches")
    return _zip_response(Path(exported.file), exported.batch)


@require_perm(RUN_BATCHES)
def download(request, code: str):
    batch = Batch.objects.filter(code=code).first()
    if batch is None:
        raise Http404("没有这个批次")
    path = Path(batch.file_path)
    if not path.is_file():
        messages.error(request, f"批次{code}的文件已不在交换目录（{path.parent}），请联系系统管理员。")
        return redirect("production:batches")
    audit.record(request, "production.download_batch", obj_kind="batch", obj_id=code, details={"count": batch.count})
    return _zip_response(path, code)


def _zip_response(path: Path, code: str) -> FileResponse:
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"{code}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@require_perm(RUN_BATCHES)
def import_results(request):
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, error="请选择制卡机构返回的结果文件（CSV）。", status=400)
    if upload.size > MAX_RESULT_FILE:
        return _page(request, error=f"文件太大（{upload.size // 1024 // 1024} MB），结果文件不应超过20 MB。",
                     file_name=upload.name, status=400)
    summary = run_import(upload.read(), file_name=upload.name, actor=_actor(request))
    audit.record(request, "production.import_results", obj_kind="result_file", obj_id=upload.name[:64],
                 details=summary.as_json() | {"errors": len(summary.errors)})
    return _page(request, summary=summary, file_name=upload.name, status=400 if summary.errors else 200)
