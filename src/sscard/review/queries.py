"""Every review query in one place: the queues, the claim candidates, the machine's backlog, overdue.

A review round starts at the application's latest ``submit``/``resubmit`` event; the overdue flag
(``OverdueFlag``) hangs off that event. The machine's result (``AutoReview``) hangs off the event that asked
for the check: the submission, or a later ``correct`` event (the citizen changed a photo or the address
while the application waited), so the queue shows the findings on what the reviewer will actually see. The queue queries cost a
fixed number of database round trips whatever the queue's length (tests assert it).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from sscard.applications.constants import State
from sscard.applications.lifecycle import MACHINE_CHECK_ACTIONS, SUBMISSION_ACTIONS
from sscard.applications.models import Application, ApplicationEvent, PickupChange, PickupChangeState
from sscard.delivery.models import Branch
from sscard.review.models import AutoReview, Claim, OverdueFlag

UNDER_REVIEW = (State.SUBMITTED, State.REVIEWING)
URGENCY = ("decision_due", "state_changed_at", "id")


def _latest_event(field: str = "id", **filters) -> Subquery:
    events = ApplicationEvent.objects.filter(application=OuterRef("pk"), **filters).order_by("-id")
    return Subquery(events.values(field)[:1])


def with_round(rows: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate the current round: ``round_event_id`` and ``round_started_at`` (the latest submission event)."""
    return rows.annotate(
        round_event_id=_latest_event("id", action__in=SUBMISSION_ACTIONS),
        round_started_at=_latest_event("created_at", action__in=SUBMISSION_ACTIONS),
    )


def submission_event(application: Application) -> ApplicationEvent | None:
    """The event that started the application's current review round."""
    return application.events.filter(action__in=SUBMISSION_ACTIONS).order_by("-id").first()


def last_event(application: Application) -> ApplicationEvent | None:
    return application.events.order_by("-id").first()


def returned_before(application: Application) -> bool:
    return application.events.filter(to_state=State.RETURNED).exists()


def _awaiting_machine(rows: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``awaiting_machine``: submitted, nothing happened since, and the machine has not answered yet."""
    return rows.annotate(
        last_event_id=_latest_event("id"),
        last_action=_latest_event("action"),
    ).annotate(
        machine_answered=Exists(AutoReview.objects.filter(submission_event_id=OuterRef("last_event_id"))),
    )


def awaiting_auto_review(submitted_before: datetime.datetime, limit: int) -> list[int]:
    """Ids of applications submitted (or corrected) before the time that still have no auto-review result (a lost task)."""
    rows = _awaiting_machine(
        Application.objects.filter(state=State.SUBMITTED, state_changed_at__lt=submitted_before)
    ).filter(last_action__in=MACHINE_CHECK_ACTIONS, machine_answered=False)
    return list(rows.order_by("state_changed_at", "id").values_list("id", flat=True)[:limit])


def idle_since(now: datetime.datetime) -> datetime.datetime:
    """A claim with no activity since this moment has expired (``REVIEW_CLAIM_IDLE_MINUTES``)."""
    return now - datetime.timedelta(minutes=settings.REVIEW_CLAIM_IDLE_MINUTES)


def machine_wait_since(now: datetime.datetime) -> datetime.datetime:
    """A submission older than this without the machine's answer has lost its task (``REVIEW_AUTO_REVIEW_WAIT``)."""
    return now - datetime.timedelta(seconds=settings.REVIEW_AUTO_REVIEW_WAIT)


def claimable(now: datetime.datetime) -> QuerySet[Application]:
    """What a reviewer may take, most urgent first.

    Submitted applications with no live claim (a fresh submission waits a short while for the machine,
    which may approve it within seconds), and applications under review whose claim has gone idle.
    """
    live_claim = Claim.objects.filter(application=OuterRef("pk"), last_activity_at__gte=idle_since(now))
    rows = _awaiting_machine(Application.objects.filter(state__in=UNDER_REVIEW)).annotate(
        claimed=Exists(live_claim)
    )
    fresh_unanswered = Q(last_action__in=MACHINE_CHECK_ACTIONS, machine_answered=False,
                         state_changed_at__gt=machine_wait_since(now))
    return rows.filter(claimed=False).exclude(Q(state=State.SUBMITTED) & fresh_unanswered).order_by(*URGENCY)


@dataclass(frozen=True)
class QueueEntry:
    application: Application
    claim: Claim | None  # None: nobody is working on it
    claim_live: bool
    auto_review: AutoReview | None  # the machine's latest findings (None: not checked yet)
    awaiting_machine: bool

    @property
    def due(self) -> datetime.date | None:
        return self.application.decision_due

    @property
    def claimed_by(self):
        return self.claim.reviewer if self.claim_live else None


def human_queue(now: datetime.datetime, *, limit: int = 200) -> list[QueueEntry]:
    """Applications waiting for or under human review, most urgent first, with claim and machine findings.

    Two queries: the applications (with their claim and reviewer joined), then the machine results.
    """
    cutoff = idle_since(now)
    rows = list(
        with_round(_awaiting_machine(Application.objects.filter(state__in=UNDER_REVIEW)))
        .annotate(check_event_id=_latest_event("id", action__in=MACHINE_CHECK_ACTIONS))
        .select_related("review_claim__reviewer", "branch")
        .order_by(*URGENCY)[:limit]
    )
    results = AutoReview.objects.in_bulk(
        [r.check_event_id for r in rows if r.check_event_id], field_name="submission_event_id"
    ) if rows else {}
    entries = []
    for row in rows:
        claim = getattr(row, "review_claim", None)
        live = claim is not None and row.state == State.REVIEWING and claim.last_activity_at >= cutoff
        waiting = row.state == State.SUBMITTED and row.last_action in MACHINE_CHECK_ACTIONS and not row.machine_answered
        entries.append(QueueEntry(row, claim, live, results.get(row.check_event_id), waiting))
    return entries


def pickup_change_queue(*, limit: int = 200) -> list[PickupChange]:
    """Pending pickup-change requests, the one due first on top (one query)."""
    return list(
        PickupChange.objects.filter(state=PickupChangeState.PENDING)
        .select_related("application__branch")
        .order_by("due", "created_at", "id")[:limit]
    )


def overdue_candidates(today: datetime.date, *, limit: int) -> list[Application]:
    """Under review past their promised date and not yet flagged for this round (one query).

    Being past ``decision_due`` is necessary for being overdue (due comes before the overdue limit); the
    working-day arithmetic that decides is done by the caller.
    """
    rows = with_round(Application.objects.filter(state__in=UNDER_REVIEW, decision_due__lt=today))
    rows = rows.annotate(flagged=Exists(OverdueFlag.objects.filter(submission_event_id=OuterRef("round_event_id"))))
    return list(rows.filter(flagged=False, round_event_id__isnull=False).order_by(*URGENCY)[:limit])


def overdue_list(*, limit: int = 200) -> list[OverdueFlag]:
    """For supervisors: overdue rounds still under review, longest overdue first, with who holds them (one query).

    A flag from an earlier round (the application was returned and resubmitted since) is history, not listed.
    """
    current_round = ApplicationEvent.objects.filter(
        application=OuterRef("application_id"), action__in=SUBMISSION_ACTIONS
    ).order_by("-id").values("id")[:1]
    return list(
        OverdueFlag.objects.filter(application__state__in=UNDER_REVIEW)
        .annotate(current_round=Subquery(current_round))
        .filter(submission_event_id=F("current_round"))
        .select_related("application__review_claim__reviewer")
        .order_by("overdue_since", "id")[:limit]
    )


# --- The workbench's reads: search and one application's screen ---------------------------------------

SEARCH_LIMIT = 20


def search(*, acceptance_number: str = "", id_digest: str = "", phone_digest: str = "") -> list[Application]:
    """Submitted applications (never drafts) by acceptance number, ID digest or the account's phone digest,
    newest first (one query)."""
    rows = Application.objects.exclude(state=State.DRAFT).select_related("branch")
    if acceptance_number:
        rows = rows.filter(acceptance_number=acceptance_number)
    elif id_digest:
        rows = rows.filter(id_digest=id_digest)
    elif phone_digest:
        rows = rows.filter(account__phone_digest=phone_digest)
    else:
        return []
    return list(rows.order_by("-created_at", "-id")[:SEARCH_LIMIT])


def by_reference(reference: str) -> Application | None:
    """An application a reviewer may open, by acceptance number or public id (drafts are the citizen's own)."""
    rows = Application.objects.exclude(state=State.DRAFT).select_related("branch", "person")
    try:
        public_id = uuid.UUID(reference)
    except ValueError:
        return rows.filter(acceptance_number=reference).first()
    return rows.filter(public_id=public_id).first()


def claim_of(application: Application) -> Claim | None:
    return Claim.objects.filter(application=application).select_related("reviewer").first()


def latest_auto_review(application: Application) -> AutoReview | None:
    return application.auto_reviews.order_by("-id").first()


def history(application: Application) -> list[ApplicationEvent]:
    return list(application.events.order_by("id"))


def pickup_change(change_id: int) -> PickupChange | None:
    return PickupChange.objects.select_related("application").filter(pk=change_id).first()


def branch_names(codes: set[str]) -> dict[str, str]:
    """Branch code → name for the pickup-change list (one query for the whole list)."""
    return dict(Branch.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
