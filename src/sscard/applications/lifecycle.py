"""The application lifecycle: the only code that changes ``Application.state``.

DESIGN.md §2 as a table. Each action is a guarded transition (see ``common.transitions``) that
writes the event row and the notices (outbox rows) in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sscard.applications import numbers
from sscard.applications.constants import FINAL_STATES, Relationship, State
from sscard.applications.models import Application, ApplicationEvent
from sscard.applications.notices import notify_application
from sscard.applications.signals import application_changed
from sscard.common import transitions
from sscard.common.statemachine import Transition, TransitionNotAllowed, TransitionTable
from sscard.workdays.services import add_working_days

__all__ = ["TABLE", "TransitionNotAllowed", "create_draft", "perform"]

S = State
PRE_PRODUCTION = frozenset({S.DRAFT, S.SUBMITTED, S.REVIEWING, S.RETURNED, S.APPROVED})

TABLE = TransitionTable(
    [
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, "提交申领"),
        Transition("start_review", frozenset({S.SUBMITTED}), S.REVIEWING, "开始审核"),
        Transition("approve", frozenset({S.REVIEWING}), S.APPROVED, "审核通过"),
        Transition("return_for_correction", frozenset({S.REVIEWING}), S.RETURNED, "退回补正"),
        Transition("refuse", frozenset({S.REVIEWING}), S.REFUSED, "不予受理"),
        Transition("resubmit", frozenset({S.RETURNED}), S.SUBMITTED, "补正后重新提交"),
        Transition("release_review", frozenset({S.REVIEWING}), S.SUBMITTED, "退回待审队列"),
        # The citizen corrects a photo, the address or the phone while no reviewer holds the application
        # (services/correction.py): the state stays, the history records the change and the machine checks again.
        Transition("correct", frozenset({S.SUBMITTED}), S.SUBMITTED, "修改材料"),
        Transition("cancel", PRE_PRODUCTION, S.CANCELLED, "撤销申领"),
        Transition("send_to_production", frozenset({S.APPROVED}), S.PRODUCING, "送去制卡"),
        Transition("production_failed", frozenset({S.PRODUCING}), S.PRODUCTION_FAILED, "登记制卡失败"),
        Transition("retry_production", frozenset({S.PRODUCTION_FAILED}), S.PRODUCING, "重新制卡"),
        Transition("return_after_failure", frozenset({S.PRODUCTION_FAILED}), S.RETURNED, "制卡失败退回补正"),
        Transition("mark_produced", frozenset({S.PRODUCING}), S.PRODUCED, "登记制卡完成"),
        Transition("mail", frozenset({S.PRODUCED}), S.MAILED, "寄出"),
        Transition("confirm_delivery", frozenset({S.MAILED}), S.DELIVERED, "登记签收"),
        Transition("ready_at_branch", frozenset({S.PRODUCED}), S.AT_BRANCH, "送达网点"),
        Transition("collect", frozenset({S.AT_BRANCH}), S.COLLECTED, "登记领卡"),
        # The courier could not deliver: the card goes to a branch and waits there like a branch pickup (logistics).
        Transition("return_to_branch", frozenset({S.MAILED}), S.AT_BRANCH, "投递失败转网点"),
    ],
    state_labels={s.value: s.label for s in State},
    final=FINAL_STATES,
)

# Actions that start a (new) review round: a new due date, an acceptance SMS. Giving a case back to the
# review queue (release_review) is the bureau's internal business and starts nothing.
SUBMISSION_ACTIONS = frozenset({"submit", "resubmit"})
# Actions after which the machine checks the application (again): a submission, or the citizen's correction
# while it waits for a reviewer (same review round and due date, but new material to check).
MACHINE_CHECK_ACTIONS = SUBMISSION_ACTIONS | {"correct"}
# Actions that send no SMS although they enter a state that has one: the bureau's internal moves (a retry of
# production: the citizen was told 制卡中 the first time), and the
# citizen's own correction (they see it on the page at once).
QUIET_ACTIONS = frozenset({"release_review", "correct", "retry_production"})

# Which SMS template announces arriving in a state (None: no SMS).
NOTICE_ON_ENTER: dict[str, str] = {
    S.SUBMITTED: "application_accepted",
    S.APPROVED: "application_approved",
    S.RETURNED: "application_returned",
    S.REFUSED: "application_refused",
    S.PRODUCING: "card_in_production",
    S.MAILED: "card_mailed",
    S.AT_BRANCH: "card_at_branch",
    S.DELIVERED: "card_delivered",
}
# Actions whose SMS is not the one of the state they enter: a failed delivery is news of its own.
NOTICE_FOR_ACTION: dict[str, str] = {"return_to_branch": "card_delivery_failed", "cancel": "application_withdrawn"}
# An application made for a family member (亲情代办) is announced with their (masked) name.
FAMILY_NOTICE: dict[str, str] = {"application_accepted": "family_application_accepted"}


def create_draft(*, actor: str, **fields: Any) -> Application:
    """A new draft with its creation event (so the history always explains the current state)."""
    now = timezone.now()
    with transaction.atomic():
        application = Application.objects.create(state=S.DRAFT, state_changed_at=now, **fields)
        ApplicationEvent.objects.create(
            application=application, action="create", from_state="", to_state=S.DRAFT, actor=actor, created_at=now
        )
    return application


def perform(
    application: Application,
    action: str,
    *,
    actor: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> ApplicationEvent:
    """Carry out ``action`` on ``application``; raises ``TransitionNotAllowed`` when it may not happen."""
    transition = TABLE.resolve(action, application.state)
    changes: dict[str, Any] = {}
    if action in SUBMISSION_ACTIONS:
        day = today or timezone.localdate()
        # Review takes 1–3 working days (the seed); the promise shown is the latest of those.
        changes["decision_due"] = add_working_days(day, 3)
        if not application.acceptance_number:
            changes["acceptance_number"] = numbers.allocate(day)

    def after(instance: Application, event: ApplicationEvent) -> None:
        template = NOTICE_FOR_ACTION.get(action) or NOTICE_ON_ENTER.get(transition.target)
        if instance.relationship != Relationship.SELF:
            template = FAMILY_NOTICE.get(template, template)
        # Withdrawing a draft tells nobody anything: it was never accepted (and the sweeper withdraws stale ones).
        if action == "cancel" and event.from_state == S.DRAFT:
            template = None
        if template and action not in QUIET_ACTIONS:
            notify_application(instance, template, event=event, reason=reason)
        changed = {"application_id": instance.pk, "action": action, "from_state": event.from_state,
                   "to_state": transition.target}
        # robust: a failing receiver (e.g. enqueueing auto-review) is logged and never undoes the committed change.
        transaction.on_commit(lambda: application_changed.send(sender=Application, **changed), robust=True)

    return transitions.apply(
        table=TABLE,
        instance=application,
        action=action,
        event_model=ApplicationEvent,
        event_fk="application",
        actor=actor,
        reason=reason,
        data=data,
        changes=changes,
        after=after,
    )
