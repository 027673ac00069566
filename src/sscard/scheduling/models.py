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
