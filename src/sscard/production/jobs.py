"""The production desk's periodic jobs and audit labels, registered from ProductionConfig.ready().

With the card-maker simulator on (CARD_MAKER_SIMULATOR; on by default in demo mode only) three jobs make
cards without anyone acting: export a batch to the exchange folder, let the simulator answer, import the
answers. Each is idempotent: an exported application is no longer a candidate, a batch with a result file is
not simulated again, an imported file changes nothing the second time.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from sscard.audit.actions import register_action
from sscard.production import exchange, simulator
from sscard.production.services.export import export_batch
from sscard.scheduling import Job, register_job

AUDIT_ACTIONS = {
    "production.export_batch": "导出制卡批次",
    "production.download_batch": "下载制卡批次文件",
    "production.import_results": "导入制卡结果",
}


def export_job(now: datetime.datetime) -> dict:
    exported = export_batch(exchange.to_maker(), limit=settings.PRODUCTION_BATCH_LIMIT, actor="system")
    return {"batch": exported.batch or "", "count": exported.count, "returned": len(exported.returned)}


def simulate_job(now: datetime.datetime) -> dict:
    return simulator.simulate()


def import_job(now: datetime.datetime) -> dict:
    return exchange.import_waiting(actor="system")


def register() -> None:
    for code, label in AUDIT_ACTIONS.items():
        register_action(code, label)
    if not settings.CARD_MAKER_SIMULATOR:
        return
    register_job(Job("production.export_batch", export_job, "导出制卡批次（演示）",
                     every_seconds=settings.PRODUCTION_EXPORT_EVERY))
    register_job(Job("production.card_maker_simulator", simulate_job, "制卡机构模拟器（演示）", every_seconds=60))
    register_job(Job("production.import_results", import_job, "导入制卡结果文件（演示）", every_seconds=60))
