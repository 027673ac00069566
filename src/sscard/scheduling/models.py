"""One row per run of a periodic job: the claim that makes a run happen once per slot, and its outcome."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    job = models.CharField("任务", max_length=80)
    # The time slot the run belongs to: the start of its interval (UTC, ISO) or the local day of a daily job.
    # Inserting (job, slot_key) is the claim: a second scheduler inserting the same pair gets an IntegrityError
    # and skips the run, whatever the timing between the two.
    slot_key = models.CharField("时段", max_length=40)
    runner = models.CharField("运行者", max_length=120, blank=True, help_text="host:pid")
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "slot_key"], name="one_run_per_job_slot")]

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "ok" if self.finished_at else "running"

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot_key}"


class TaskWorker(models.Model):
    """A running ``sscard worker``: its heartbeat. A task left running by a worker whose heartbeat stopped goes
    back to the queue (``sscard.scheduling.workers.recover_lost_tasks``); the task library records only the
    worker's id on the task, not whether that worker is still alive.
    """

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    host = models.CharField("主机", max_length=120)
    pid = models.IntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务工作进程"
        verbose_name_plural = "任务工作进程"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
