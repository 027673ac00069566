"""The progress timeline, like a parcel-tracking page: what happened (with dates), then what is to come."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from sscard.applications.constants import CITIZEN_LABELS, OPEN_STATES, State
from sscard.applications.models import Application
from sscard.applications.services.correction import PART_LABELS
from sscard.delivery.constants import PickupMethod


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    at: datetime.datetime | None
    detail: str = ""
    done: bool = True


HAPPY_PATH_MAIL = [State.SUBMITTED, State.REVIEWING, State.APPROVED, State.PRODUCING, State.MAILED, State.DELIVERED]
HAPPY_PATH_BRANCH = [State.SUBMITTED, State.REVIEWING, State.APPROVED, State.PRODUCING, State.AT_BRANCH, State.COLLECTED]
# States the citizen does not see as steps of their own: the bureau's business (a failed card is re-made).
HIDDEN = {State.DRAFT, State.PRODUCTION_FAILED, State.PRODUCED}
# The bureau's internal moves (a reviewer giving a case back to the queue) are not steps for the citizen.
INTERNAL_ACTIONS = {"release_review"}
# The reason is shown even on the public (name + ID number) page: it tells the person what to do.
PUBLIC_DETAIL = {State.RETURNED, State.REFUSED}
# Events named by what was done rather than by the state they lead to.
ACTION_LABELS = {"resubmit": "补正后重新提交", "correct": "修改了材料（审核开始前）",
                 "return_to_branch": "快递投递未成功，已转到网点待领取"}


# Steps recorded outside the application's own history (logistics: the bank's receipt, reminders) join the
# timeline through these sources, registered by their app at start-up, so applications imports none of them.
# A source takes (application, public) and returns done entries with their times.
TIMELINE_SOURCES: list[Callable[[Application, bool], list[TimelineEntry]]] = []


def register_timeline_source(source: Callable[[Application, bool], list[TimelineEntry]]) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


def timeline(application: Application, *, public: bool = False) -> list[TimelineEntry]:
    """``public``: for the progress query anyone can make, so no waybill, branch or acceptance number."""
    entries: list[TimelineEntry] = []
    for event in application.events.order_by("id"):
        if (event.to_state in HIDDEN and event.action != "cancel") or event.action in INTERNAL_ACTIONS:
            continue
        label = ACTION_LABELS.get(event.action) or CITIZEN_LABELS[State(event.to_state)]
        entries.append(TimelineEntry(label, event.created_at, _detail(application, event, public)))
    extra = [entry for source in TIMELINE_SOURCES for entry in source(application, public)]
    if extra:
        entries = sorted(entries + extra, key=lambda entry: entry.at)  # stable: same-time entries keep their order
    return entries + _still_to_come(application)


def _detail(application: Application, event, public: bool) -> str:
    if event.to_state in PUBLIC_DETAIL and event.reason:
        return event.reason
    if public:
        return ""
    if event.action == "correct":
        return "、".join(PART_LABELS.get(p, p) for p in event.data.get("parts", []))
    if event.to_state == State.MAILED:
        return f"运单号 {event.data.get('waybill', '')}".strip()
    if event.to_state == State.AT_BRANCH and application.branch_id:
        return f"{application.branch.name}({application.branch.address})"
    if event.to_state == State.SUBMITTED and application.acceptance_number:
        return f"受理编号 {application.acceptance_number}"
    return ""


def _still_to_come(application: Application) -> list[TimelineEntry]:
    if application.state not in OPEN_STATES or application.state == State.DRAFT:
        return []
    # A card the courier could not deliver waits at a branch too (return_to_branch).
    at_branch = application.pickup_method == PickupMethod.BRANCH or application.state == State.AT_BRANCH
    path = HAPPY_PATH_BRANCH if at_branch else HAPPY_PATH_MAIL
    current = State(application.state)
    if current not in path:
        return []
    return [TimelineEntry(CITIZEN_LABELS[s], None, "", done=False) for s in path[path.index(current) + 1:]]
