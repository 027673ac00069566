"""The card's way from the card maker to the citizen: one append-only row per logistics event."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sscard.common.transitions import AppendOnlyModel
from sscard.logistics.constants import EventKind, Source


class LogisticsEvent(AppendOnlyModel):
    card = models.ForeignKey("cards.Card", verbose_name="社保卡", related_name="logistics_events",
                             on_delete=models.PROTECT)
    application = models.ForeignKey("applications.Application", verbose_name="申领", related_name="logistics_events",
                                    on_delete=models.PROTECT)
    event = models.CharField("事件", max_length=30, choices=EventKind.choices)
    # Tells apart events that may happen more than once per card (the reminder sent after 30 days, after 90 days).
    key = models.CharField("区分", max_length=20, blank=True, default="")
    at = models.DateTimeField("发生时间", help_text="as reported by the bank or the courier")
    waybill = models.CharField("运单号", max_length=40, blank=True, db_index=True)
    branch = models.ForeignKey("delivery.Branch", verbose_name="网点", null=True, blank=True,
                               on_delete=models.PROTECT)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    actor = models.CharField("操作人", max_length=80)
    data = models.JSONField("附加信息", default=dict, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "物流记录"
        verbose_name_plural = "物流记录"
        ordering = ["at", "id"]
        constraints = [
            # Each event happens once per card: the database refuses a second one, so two imports (or an import
            # and the webhook) racing on one card have one effect.
            models.UniqueConstraint(fields=["card", "event", "key"], name="one_logistics_event_per_card"),
            models.UniqueConstraint(fields=["waybill"], condition=Q(event="mailed"), name="one_card_per_waybill"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.at:%Y-%m-%d %H:%M}"
