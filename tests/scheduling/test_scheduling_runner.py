"""The scheduler runs each job once per slot, however many runners claim it, and a failing job stops nothing."""

from __future__ import annotations

import datetime
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from sscard.scheduling import JOBS, Job, register_job
from sscard.scheduling.models import JobRun
from sscard.scheduling.runner import build_scheduler, run_job, slot_key

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 1, 30, 15, tzinfo=UTC)  # 09:30:15 in Zhongshan


@pytest.fixture
def calls():
    return []


@pytest.fixture
def counting_job(calls):
    def count(now):
        calls.append(now)
        return {"seen": len(calls)}

    job = register_job(Job("test.count", count, "测试计数", every_seconds=60))
    yield job
    JOBS.pop(job.name, None)


@pytest.fixture
def failing_job():
    def fail(now):
        raise RuntimeError("银行接口不可用")

    job = register_job(Job("test.fail", fail, "测试失败", daily_at=datetime.time(3, 0)))
    yield job
    JOBS.pop(job.name, None)


def test_slot_keys():
    every_minute = Job("a", lambda now: {}, "a", every_seconds=60)
    every_five = Job("b", lambda now: {}, "b", every_seconds=300)
    daily = Job("c", lambda now: {}, "c", daily_at=datetime.time(3))
    assert slot_key(every_minute, NOW) == "2026-03-02T01:30:00Z"
    assert slot_key(every_five, NOW) == "2026-03-02T01:30:00Z"
    assert slot_key(every_five, NOW + datetime.timedelta(minutes=4, seconds=44)) == "2026-03-02T01:30:00Z"
    assert slot_key(every_five, NOW + datetime.timedelta(minutes=4, seconds=45)) == "2026-03-02T01:35:00Z"
    # A daily job's slot is the local day: 23:30 UTC on 1 March is already 2 March in Zhongshan.
    assert slot_key(daily, datetime.datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == "2026-03-02"


def test_a_job_runs_once_per_slot(counting_job, calls):
    first, status = run_job(counting_job, NOW)
    assert status == "ok" and first.result == {"seen": 1} and first.finished_at is not None
    assert run_job(counting_job, NOW + datetime.timedelta(seconds=30)) == (None, "skipped")  # same minute
    _, status = run_job(counting_job, NOW + datetime.timedelta(seconds=60))
    assert status == "ok"
    assert len(calls) == 2
    assert list(JobRun.objects.order_by("id").values_list("slot_key", flat=True)) == [
        "2026-03-02T01:30:00Z", "2026-03-02T01:31:00Z",
    ]


def test_a_failing_job_records_its_error_and_the_others_still_run(counting_job, failing_job, calls):
    outcomes = [run_job(job, NOW)[1] for job in (failing_job, counting_job)]
    assert outcomes == ["failed", "ok"]
    failed = JobRun.objects.get(job="test.fail")
    assert "RuntimeError: 银行接口不可用" in failed.error
    assert failed.finished_at is not None and failed.status == "failed"
    assert len(calls) == 1


def test_once_command_prints_the_run_and_exits_1_on_failure(counting_job, failing_job):
    out = StringIO()
    call_command("scheduler", "--once", "test.count", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["job"] == "test.count" and summary["status"] == "ok" and summary["result"] == {"seen": 1}

    out = StringIO()
    call_command("scheduler", "--once", "test.count", stdout=out)
    assert json.loads(out.getvalue()) == {"job": "test.count", "status": "skipped"}
    out = StringIO()
    call_command("scheduler", "--once", "test.count", "--force", stdout=out)
    assert json.loads(out.getvalue())["result"] == {"seen": 2}

    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("scheduler", "--once", "test.fail", stdout=out)
    assert exit_.value.code == 1
    assert json.loads(out.getvalue())["error"] == "RuntimeError: 银行接口不可用"


def test_the_existing_periodic_work_is_registered():
    assert JOBS["notifications.sweep"].every_seconds == 60
    assert JOBS["applications.purge_drafts"].daily_at == datetime.time(3, 0)
    assert {"review.requeue_auto_reviews", "review.flag_overdue", "scheduling.prune_runs"} <= set(JOBS)


def test_the_scheduler_fires_on_aligned_slots_and_catches_up_daily_jobs(counting_job, failing_job):
    scheduler = build_scheduler(NOW)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    # Before start the jobs are pending: the trigger's first fire time is what counts.
    every_minute = jobs["test.count"].trigger.get_next_fire_time(None, NOW)
    assert every_minute == datetime.datetime(2026, 3, 2, 1, 31, tzinfo=UTC)
    assert "test.count:start" in jobs
    assert "test.fail:start" in jobs  # 09:30 local is past 03:00: today's run happens at start


def test_old_runs_are_pruned(counting_job):
    run_job(counting_job, NOW - datetime.timedelta(days=40))
    run_job(counting_job, NOW)
    assert JOBS["scheduling.prune_runs"].func(NOW) == {"deleted": 1}
    assert JobRun.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runners_claiming_at_once_run_the_job_once(postgres_only, counting_job, calls):
    barrier = threading.Barrier(4)
    statuses = []

    def runner():
        barrier.wait(timeout=30)
        try:
            statuses.append(run_job(counting_job, NOW)[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == ["ok", "skipped", "skipped", "skipped"]
    assert len(calls) == 1
    assert JobRun.objects.filter(job="test.count").count() == 1
    assert connection.vendor == "postgresql"
