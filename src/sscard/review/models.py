"""Review's own records, keyed by application: rules, machine results, claims, overdue flags, return reasons.

The application's state lives in ``applications`` and changes only through its lifecycle; these tables hold
what the review desk adds around it. A review round starts with a submission event (``submit`` or
``resubmit``): the machine's result and the overdue flag belong to one round, so a resubmission gets both afresh.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sscard.review.constants import FixPart, RuleCode


class ReviewRule(models.Model):
    """One auto-review rule an administrator can switch on or off (seeded by a data migration)."""

    code = models.CharField("代码", max_length=40, unique=True, choices=RuleCode.choices)
    title = models.CharField("名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "自动审核规则"
        verbose_name_plural = "自动审核规则"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class AutoReview(models.Model):
    """The machine's verdict on one review round: every rule's finding, whether it approved."""

    application = models.ForeignKey(
        "applications.Application", verbose_name="申领", related_name="auto_reviews", on_delete=models.CASCADE
    )
    # One result per round: the unique key that makes a repeated or duplicated task a no-op.
    submission_event = models.OneToOneField(
        "applications.ApplicationEvent", verbose_name="提交记录", related_name="+", on_delete=models.CASCADE
    )
    approved = models.BooleanField("机器审核通过")
    findings = models.JSONField("检查结果", default=list)
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "自动审核结果"
        verbose_name_plural = "自动审核结果"
        ordering = ["-id"]

    @property
    def failed(self) -> list[dict]:
        """The findings a reviewer must look at."""
        return [f for f in self.findings if not f.get("ok")]


class Claim(models.Model):
    """A reviewer working on an application (state ``reviewing``); idle past the limit, anyone may take it."""

    application = models.OneToOneField(
        "applications.Application", verbose_name="申领", related_name="review_claim", on_delete=models.CASCADE
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核员", related_name="review_claims", on_delete=models.PROTECT
    )
    claimed_at = models.DateTimeField("领取时间")
    last_activity_at = models.DateTimeField("最后操作时间", db_index=True)

    class Meta:
        verbose_name = "审核领取"
        verbose_name_plural = "审核领取"


class OverdueFlag(models.Model):
    """An application whose review round ran past the overdue limit: flagged once, the citizen told once."""

    application = models.ForeignKey(
        "applications.Application", verbose_name="申领", related_name="overdue_flags", on_delete=models.CASCADE
    )
    submission_event = models.OneToOneField(
        "applications.ApplicationEvent", verbose_name="提交记录", related_name="+", on_delete=models.CASCADE
    )
    submitted_on = models.DateField("提交日期")
    overdue_since = models.DateField("超期日期")
    new_date = models.DateField("新的预计完成日期")
    flagged_at = models.DateTimeField("标记时间")

    class Meta:
        verbose_name = "审核超期"
        verbose_name_plural = "审核超期"
        ordering = ["overdue_since", "id"]

    @property
    def data(self) -> dict:
        """The apology SMS's own values (``notify_application`` reads an event's ``data``)."""
        return {"new_date": f"{self.new_date:%m月%d日}"}


class ReturnReason(models.Model):
    """A common reason to return an application: what the citizen reads and how to fix it."""

    code = models.CharField("代码", max_length=40, unique=True)
    title = models.CharField("名称", max_length=60, help_text="审核员看到的简称，也用于短信")
    citizen_text = models.CharField("告知申领人", max_length=200)
    fix_tip = models.CharField("修改提示", max_length=200)
    part = models.CharField("需修改的部分", max_length=30, choices=FixPart.choices)
    needs_note = models.BooleanField("须填写说明", default=False, help_text="如“其他问题”，审核员必须写明具体情况")
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "退回补正原因"
        verbose_name_plural = "退回补正原因"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def as_data(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "citizen_text": self.citizen_text,
                "fix_tip": self.fix_tip, "part": self.part}
