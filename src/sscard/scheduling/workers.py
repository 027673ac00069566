"""Task workers that die mid-task: a heartbeat per worker, and recovery of the tasks they left running.

django-tasks' database backend marks a task RUNNING when a worker claims it and nothing else: if that worker is
killed (OOM, ``kill -9``, a lost machine), the task stays RUNNING for ever and its work is never done. So each
``sscard worker`` keeps a ``TaskWorker`` row fresh from a background thread, and ``recover_lost_tasks`` (run by
every worker at start and every lease, and by the scheduler) puts a RUNNING task back in the queue when its
worker is gone: no heartbeat for ``TASK_WORKER_LEASE`` seconds, or (same host) its process no longer exists.
A task that has been started ``TASK_MAX_ATTEMPTS`` times and lost its worker each time ends FAILED with a
reason, instead of killing workers for ever.

Re-running is safe because every task is idempotent: ``auto_review`` locks the application and skips one
already checked; ``deliver_sms`` claims its row, and a row left in ``sending`` is re-queued by the SMS sweeper.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sscard.scheduling.models import TaskWorker

log = logging.getLogger("sscard.scheduling")

LOST_EXCEPTION = "sscard.scheduling.workers.WorkerLost"


def hostname() -> str:
    return socket.gethostname()[:120]


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def beat(worker_id: str, now: datetime.datetime | None = None) -> None:
    """Record that this worker is alive (insert on its first beat)."""
    now = now or timezone.now()
    updated = TaskWorker.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        TaskWorker.objects.update_or_create(
            worker_id=worker_id,
            defaults={"host": hostname(), "pid": os.getpid(), "started_at": now, "last_seen": now},
        )


def is_dead(worker: TaskWorker | None, started_at: datetime.datetime, now: datetime.datetime) -> bool:
    lease = datetime.timedelta(seconds=settings.TASK_WORKER_LEASE)
    if worker is None:  # never beat (a plain db_worker) or long pruned: judge by how long the task has run
        return started_at < now - lease
    if worker.last_seen < now - lease:
        return True
    # On this machine we need not wait for the lease: a worker process that no longer exists is dead now.
    return worker.host == hostname() and worker.pid != os.getpid() and not _process_exists(worker.pid)


def recover_lost_tasks(now: datetime.datetime | None = None) -> dict:
    """Requeue (or, past TASK_MAX_ATTEMPTS, fail) every RUNNING task whose worker is dead."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running().only("id", "started_at", "worker_ids", "task_path"))
    workers = {w.worker_id: w for w in TaskWorker.objects.filter(
        worker_id__in={row.worker_ids[-1] for row in running if row.worker_ids})}
    requeued = failed = 0
    for row in running:
        worker = workers.get(row.worker_ids[-1]) if row.worker_ids else None
        if not is_dead(worker, row.started_at, now):
            continue
        # Guarded by started_at: a row another recoverer (or a new claim) already moved is left alone.
        guard = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            done = guard.update(
                status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST_EXCEPTION,
                traceback=f"Worker lost {len(row.worker_ids)} times while running this task; not retried.",
            )
            failed += done
            if done:
                log.error("task_failed reason=worker_lost attempts=%s task=%s id=%s",
                          len(row.worker_ids), row.task_path, row.pk)
            continue
        done = guard.update(status=TaskResultStatus.READY)
        requeued += done
        if done:
            log.warning("task_requeued reason=worker_lost attempts=%s task=%s id=%s",
                        len(row.worker_ids), row.task_path, row.pk)
    stale = now - datetime.timedelta(seconds=settings.TASK_WORKER_LEASE * 10)
    pruned, _ = TaskWorker.objects.filter(last_seen__lt=stale).delete()
    return {"requeued": requeued, "failed": failed, "workers_pruned": pruned}


def recover_job(now: datetime.datetime) -> dict:
    """The scheduler's periodic job (``scheduling.recover_tasks``)."""
    return recover_lost_tasks()


class Heartbeat:
    """A daemon thread that beats every third of the lease and recovers lost tasks at start and every lease."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="task-worker-heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        interval = max(settings.TASK_WORKER_LEASE / 3, 0.5)
        beats = 0
        while True:
            try:
                beat(self.worker_id)
                if beats % 3 == 0:
                    counts = recover_lost_tasks()
                    if counts["requeued"] or counts["failed"]:
                        log.warning("tasks_recovered %s", " ".join(f"{k}={v}" for k, v in counts.items()))
            except DatabaseError as exc:  # the database restarting, SQLite busy: try again at the next beat
                log.warning("heartbeat_failed worker=%s error=%s", self.worker_id, type(exc).__name__)
            finally:
                close_old_connections()
                connection.close()
            beats += 1
            if self.stopped.wait(interval):
                return

    def stop(self) -> None:
        """A clean exit: say goodbye, so that nobody waits for this worker's lease."""
        self.stopped.set()
        self.thread.join(timeout=5)
        try:
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            pass
