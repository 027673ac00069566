"""The Django shell of a state machine: one guarded transition per call, in one transaction.

The state column is changed only here, by a conditional ``UPDATE … WHERE id=… AND state=<from>``.
Two workers racing on one row: the database serialises the two updates, the second finds the
state already changed, updates nothing and is refused — there is never a lost update and never an
event without its state change (both are written in the same transaction, or neither is).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from sscard.common.statemachine import TransitionNotAllowed, TransitionTable

log = logging.getLogger("sscard.lifecycle")


class TransitionConflict(TransitionNotAllowed):
    """Someone else changed the state first."""


def apply(
    *,
    table: TransitionTable,
    instance: models.Model,
    action: str,
    event_model: type[models.Model],
    event_fk: str,
    actor: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    after: Callable[[models.Model, Any], None] | None = None,
) -> Any:
    """Move ``instance`` by ``action``; return the event row. ``instance`` is refreshed in place."""
    transition = table.resolve(action, instance.state)
    source = instance.state
    now = timezone.now()
    with transaction.atomic():
        updated = (
            type(instance)
            ._default_manager.filter(pk=instance.pk, state=source)
            .update(state=transition.target, state_changed_at=now, version=F("version") + 1, **(changes or {}))
        )
        if updated != 1:
            instance.refresh_from_db()
            log.info("transition_refused reason=conflict action=%s pk=%s", action, instance.pk)
            raise TransitionConflict(
                "这条记录刚被其他人处理过，请刷新后查看最新状态", action=action, state=instance.state
            )
        instance.refresh_from_db()
        event = event_model.objects.create(
            **{event_fk: instance},
            action=action,
            from_state=source,
            to_state=transition.target,
            actor=actor,
            reason=reason,
            data=data or {},
            created_at=now,
        )
        if after is not None:
            after(instance, event)
    log.info("transition action=%s pk=%s from=%s to=%s", action, instance.pk, source, transition.target)
    return event


class AppendOnlyModel(models.Model):
    """History rows: written once, never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are append-only")


class EventFields(AppendOnlyModel):
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=30)
    to_state = models.CharField("新状态", max_length=30)
    actor = models.CharField("操作人", max_length=80, help_text="citizen:<id>, staff:<username>, channel:<app>, system")
    reason = models.TextField("原因", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
