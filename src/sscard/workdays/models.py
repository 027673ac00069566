from __future__ import annotations

from django.db import models


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a statutory holiday, or a weekend day worked (调休).

    Seeded from the ``chinesecalendar`` package (``sscard load-holidays``) and edited in the admin
    when the State Council announces a year the package does not know yet.
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选：调休上班；不勾选：放假")
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"


class KnownYear(models.Model):
    """A year whose holiday arrangement has been entered in full."""

    year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        verbose_name = "已公布年份"
        verbose_name_plural = "已公布年份"
