"""A task left RUNNING by a worker that died goes back to the queue; a live worker's task is left alone."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sscard import scheduling
from sscard.scheduling.models import TaskWorker
from sscard.scheduling.workers import hostname, recover_lost_tasks

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def running_task(worker_ids, started_ago=600):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [1], "kwargs": {}},
        task_path="sscard.review.tasks.auto_review", backend_name="default", run_after=NOW,
        started_at=NOW - datetime.timedelta(seconds=started_ago), worker_ids=worker_ids,
    )


def worker(worker_id, seen_ago, *, host="other-host", pid=1):
    return TaskWorker.objects.create(
        worker_id=worker_id, host=host, pid=pid, started_at=NOW - datetime.timedelta(hours=1),
        last_seen=NOW - datetime.timedelta(seconds=seen_ago),
    )


def status(row):
    row.refresh_from_db()
    return row.status


def test_a_task_whose_worker_stopped_beating_is_queued_again(settings):
    settings.TASK_WORKER_LEASE = 60
    worker("dead", seen_ago=300)
    lost = running_task(["dead"])
    assert recover_lost_tasks(NOW)["requeued"] == 1
    assert status(lost) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()  # a worker will pick it up


def test_a_live_workers_long_task_is_left_running(settings):
    settings.TASK_WORKER_LEASE = 60
    worker("alive", seen_ago=5)
    busy = running_task(["alive"], started_ago=3600)
    assert recover_lost_tasks(NOW) == {"requeued": 0, "failed": 0, "workers_pruned": 0}
    assert status(busy) == TaskResultStatus.RUNNING


def test_a_dead_process_on_this_machine_needs_no_lease(settings):
    settings.TASK_WORKER_LEASE = 60
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    worker("killed-here", seen_ago=1, host=hostname(), pid=int(gone.stdout))
    lost = running_task(["killed-here"], started_ago=2)
    recover_lost_tasks(NOW)
    assert status(lost) == TaskResultStatus.READY
    worker("alive-here", seen_ago=1, host=hostname(), pid=os.getppid())
    busy = running_task(["alive-here"], started_ago=2)
    recover_lost_tasks(NOW)
    assert status(busy) == TaskResultStatus.RUNNING


def test_a_task_from_an_unknown_worker_waits_for_the_lease(settings):
    settings.TASK_WORKER_LEASE = 60
    recent = running_task(["plain-db-worker"], started_ago=10)
    old = running_task(["plain-db-worker"], started_ago=120)
    recover_lost_tasks(NOW)
    assert status(recent) == TaskResultStatus.RUNNING
    assert status(old) == TaskResultStatus.READY


def test_a_task_that_keeps_losing_its_worker_ends_failed_with_the_reason(settings):
    settings.TASK_WORKER_LEASE = 60
    settings.TASK_MAX_ATTEMPTS = 3
    lost = running_task(["w1", "w2", "w3"])
    assert recover_lost_tasks(NOW)["failed"] == 1
    assert status(lost) == TaskResultStatus.FAILED
    lost.refresh_from_db()
    assert lost.exception_class_path.endswith("WorkerLost") and "3 times" in lost.traceback


def test_old_heartbeats_are_pruned_and_the_scheduler_runs_recovery(settings):
    settings.TASK_WORKER_LEASE = 60
    worker("long-gone", seen_ago=86400)
    assert recover_lost_tasks(NOW)["workers_pruned"] == 1
    job = scheduling.JOBS["scheduling.recover_tasks"]
    assert job.every_seconds == 60
