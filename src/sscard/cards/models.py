from __future__ import annotations

from django.db import models

from sscard.cards.constants import LIVE_STATES, CardState, WarningKind
from sscard.common.transitions import EventFields


class CardQuerySet(models.QuerySet):
    def live(self) -> CardQuerySet:
        """Cards that count as "already has a card" (``constants.LIVE_STATES``).

        Also reachable through the person without importing this app: ``person.card_set.live()``.
        """
        return self.filter(state__in=LIVE_STATES)

    def replaceable(self) -> CardQuerySet:
        """Formally lost cards: a replacement (补卡) may be applied for."""
        return self.filter(state=CardState.LOST_FORMAL)


class Card(models.Model):
    person = models.ForeignKey("registry.Person", verbose_name="持卡人", on_delete=models.PROTECT)
    application = models.OneToOneField(
        "applications.Application", verbose_name="申领", null=True, blank=True, on_delete=models.PROTECT
    )
    card_number = models.CharField("社会保障卡卡号", max_length=20, unique=True)
    # The card maker's 32-hex-digit card identifier (卡识别码) and the co-branding bank (DESIGN.md §3b).
    card_id = models.CharField("卡识别码", max_length=32, blank=True)
    bank = models.CharField("发卡银行", max_length=40, blank=True)
    generation = models.PositiveSmallIntegerField("代际", default=3)
    state = models.CharField("状态", max_length=20, choices=CardState.choices, default=CardState.INACTIVE, editable=False)
    state_changed_at = models.DateTimeField(null=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    handed_over_at = models.DateTimeField("领卡/签收时间", null=True, blank=True)
    activated_at = models.DateTimeField("激活时间", null=True, blank=True)
    # A counter's unlock restarts the 6-month activation clock (which otherwise runs from handed_over_at).
    unlocked_at = models.DateTimeField("解锁时间", null=True, blank=True, editable=False)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    # Wrong service-PIN entries in a row; at the limit the PIN (not the card) is locked until an SMS reset.
    pin_failures = models.PositiveSmallIntegerField("服务密码连续错误次数", default=0, editable=False)
    pin_locked_at = models.DateTimeField("服务密码锁定时间", null=True, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self", verbose_name="替换的旧卡", null=True, blank=True, related_name="replaced_by", on_delete=models.PROTECT
    )

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = "社保卡"
        verbose_name_plural = "社保卡"
        indexes = [models.Index(fields=["state", "handed_over_at"])]

    def __str__(self) -> str:
        return f"{self.card_number[:4]}****{self.card_number[-4:]}"


class CardEvent(EventFields):
    card = models.ForeignKey(Card, related_name="events", on_delete=models.PROTECT)

    class Meta(EventFields.Meta):
        verbose_name = "社保卡记录"
        verbose_name_plural = "社保卡记录"


class CardWarning(models.Model):
    """An SMS warning sent before the 6-month lock: at most one of each kind per card (the constraint makes the
    daily job safe to run twice at once — the second insert fails and sends nothing)."""

    card = models.ForeignKey(Card, related_name="warnings", on_delete=models.CASCADE)
    kind = models.CharField("提醒", max_length=30, choices=WarningKind.choices)
    # The lock date the warning announced: after a counter unlock the clock restarts, and so do the warnings.
    lock_date = models.DateField("预计锁定日期")
    created_at = models.DateTimeField("发送时间")

    class Meta:
        verbose_name = "锁卡提醒"
        verbose_name_plural = "锁卡提醒"
        constraints = [models.UniqueConstraint(fields=["card", "kind", "lock_date"], name="one_lock_warning_per_kind")]
