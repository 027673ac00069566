"""``sscard worker``: django-tasks' database worker, plus a heartbeat so that a dead worker's task is recovered.

Same options as ``db_worker`` (``--queue-name '*' --interval 1`` …). See ``sscard.scheduling.workers``.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from sscard.scheduling.workers import Heartbeat


class Command(DBWorkerCommand):
    help = "任务工作进程：运行后台任务；定期报告心跳，意外退出的工作进程留下的任务会重新排队。"

    def handle(self, *args, **options):
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
