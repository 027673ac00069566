"""The database half of the shared store (``sscard.common.sharedstore``): counters and single-use keys."""

from __future__ import annotations

from django.db import models


class SharedCounter(models.Model):
    """One rate-limit window or one claimed nonce, shared by every process that uses this database.

    ``expires_at`` is unix time in milliseconds, not a DateTimeField: the store compares and sets it in
    one raw ``INSERT … ON CONFLICT`` statement, and an integer compares the same way on SQLite and
    PostgreSQL without depending on how each backend adapts datetimes in raw SQL.
    """

    key = models.CharField("键", max_length=255, primary_key=True)
    count = models.PositiveIntegerField("计数", default=0)
    expires_at = models.BigIntegerField("到期（毫秒时间戳）", db_index=True)

    class Meta:
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"
