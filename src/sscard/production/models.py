"""Production batches sent to the card maker, the applications in each, and the result files imported.

An application's state lives in ``applications`` and changes only through its lifecycle; these tables record
which batch carried it to the card maker and what came back.
"""

from __future__ import annotations

from django.db import models

from sscard.production.constants import ItemResult


class BatchSequence(models.Model):
    """Counter behind batch codes: one row per day, incremented atomically (common.counters.bump)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Batch(models.Model):
    code = models.CharField("批次号", max_length=20, unique=True)
    created_at = models.DateTimeField("导出时间", db_index=True)
    created_by = models.CharField("导出人", max_length=80, help_text="staff:<username>, system")
    count = models.PositiveIntegerField("申领数")
    file_path = models.CharField("批次文件", max_length=500)
    sha256 = models.CharField("文件SHA-256", max_length=64)

    class Meta:
        verbose_name = "制卡批次"
        verbose_name_plural = "制卡批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.code


class BatchItem(models.Model):
    """One application in one batch; a retried application is in several batches, one item each."""

    batch = models.ForeignKey(Batch, verbose_name="批次", related_name="items", on_delete=models.PROTECT)
    application = models.ForeignKey(
        "applications.Application", verbose_name="申领", related_name="production_items", on_delete=models.PROTECT
    )
    photo_sha256 = models.CharField("照片SHA-256", max_length=64)
    result = models.CharField("结果", max_length=10, choices=ItemResult.choices, default=ItemResult.PENDING)
    reason = models.CharField("失败原因", max_length=40, blank=True)
    card = models.OneToOneField(
        "cards.Card", verbose_name="制成的卡", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    result_import = models.ForeignKey(
        "production.ResultImport", verbose_name="结果文件", null=True, blank=True, related_name="items",
        on_delete=models.PROTECT,
    )
    result_at = models.DateTimeField("结果时间", null=True, blank=True)

    class Meta:
        verbose_name = "批次申领"
        verbose_name_plural = "批次申领"
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="one_item_per_application_per_batch"),
            # An application waits for at most one result at a time.
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(result=ItemResult.PENDING),
                name="one_pending_item_per_application",
            ),
        ]


class ResultImport(models.Model):
    """A result file that was applied. The file's hash is unique: the same file imported twice (or twice at
    the same moment) has one effect — the second insert waits for the first and then finds it."""

    sha256 = models.CharField("文件SHA-256", max_length=64, unique=True)
    file_name = models.CharField("文件名", max_length=255)
    imported_at = models.DateTimeField("导入时间", db_index=True)
    imported_by = models.CharField("导入人", max_length=80)
    rows = models.PositiveIntegerField("行数")
    applied = models.PositiveIntegerField("已处理")
    unchanged = models.PositiveIntegerField("无变化")

    class Meta:
        verbose_name = "制卡结果文件"
        verbose_name_plural = "制卡结果文件"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
