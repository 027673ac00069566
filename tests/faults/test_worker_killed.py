"""Fault: the task worker is killed (SIGKILL) in the middle of a task.

Real processes on the test database: a worker runs a task that blocks, the test kills it with SIGKILL, and a
new worker (as the supervisor of ``make run`` would start) finds the task its predecessor left RUNNING, runs it
to the end, and the task's effect exists once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sscard.scheduling.models import JobRun, TaskWorker
from tests.faults.tasks import stamp_when_released

REPO = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds: an upper bound for a slow shared machine, not a speed check


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sscard.cli", "worker", "--queue-name", "*", "--interval", "0.1",
         "--no-startup-delay", "-v", "0"],
        cwd=REPO, env=env, start_new_session=True,
    )


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_is_run_again_to_completion_once(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {**os.environ, "DATABASE_URL": database_url(), "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "TASK_WORKER_LEASE": "30", "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "sscard.settings"}
    result = stamp_when_released.using(backend="default").enqueue(str(tmp_path), "key-1")
    row = DBTaskResult.objects.get(pk=result.id)

    first = start_worker(env)
    try:
        wait_for(lambda: list(tmp_path.glob(f"started-{first.pid}")), "the first worker to start the task")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING  # what the library leaves behind: nobody will finish it
    assert not JobRun.objects.filter(job="faults.stamp").exists()  # nothing half-done

    (tmp_path / "release").write_text("")
    second = start_worker(env)
    try:
        wait_for(lambda: DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.SUCCESSFUL,
                 "the new worker to recover and finish the task")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=WAIT)
    row.refresh_from_db()
    assert len(row.worker_ids) == 2 and row.worker_ids[-1] != row.worker_ids[0]
    assert JobRun.objects.filter(job="faults.stamp", slot_key="key-1").count() == 1
    assert not TaskWorker.objects.filter(worker_id=row.worker_ids[-1]).exists()  # a clean stop says goodbye
