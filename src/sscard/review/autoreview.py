"""Auto-review: gather one submitted application's facts, run the rules, approve or leave it to a human.

Started by the task ``review.tasks.auto_review`` when an application enters ``submitted``, and again when
the citizen corrects it while it waits (the ``application_changed`` signal, see ``review.receivers``); the
sweeper re-enqueues a lost one. One result per check (the submission or correction event): running twice,
or on an application no longer waiting, changes nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications import lifecycle
from sscard.applications.constants import OPEN_STATES, Relationship, State
from sscard.applications.forms_rules import validate_address, validate_pickup
from sscard.applications.models import Application, UploadKind
from sscard.applications.services.eligibility import age_of, facts_for
from sscard.applications.services.uploads import required_uploads
from sscard.cards.constants import CardState
from sscard.cards.models import Card
from sscard.delivery import queries as branches
from sscard.review import queries, rules
from sscard.review.constants import AUTO_REVIEW_ACTOR
from sscard.review.models import AutoReview, ReviewRule

log = logging.getLogger("sscard.review")

# Cards that still count as the person's card: anything not void and not formally reported lost.
LIVE_CARD_STATES = frozenset({CardState.INACTIVE, CardState.ACTIVE, CardState.LOCKED, CardState.LOST_TEMPORARY})


def gather_facts(application: Application, today: datetime.date) -> rules.Facts:
    person = application.person
    for_self = application.relationship == Relationship.SELF
    registry = facts_for(person, person.id_type, age_of(person, today), for_self=for_self) if person else None
    uploads = {
        u.kind: rules.UploadFacts(UploadKind(u.kind).label, u.ok, tuple(p.get("message", "") for p in u.problems))
        for u in application.uploads.all()
    }
    _, address_errors = validate_address({"town": application.town, "address_detail": application.address_detail})
    _, pickup_errors = validate_pickup(
        {"pickup_method": application.pickup_method, "branch": application.branch.code if application.branch_id else ""},
        branch_exists=branches.is_open_branch,
    )
    return rules.Facts(
        relationship=application.relationship,
        in_registry=person is not None,
        name_matches=person is not None and person.name == application.name,
        id_matches=person is not None and person.id_digest == application.id_digest,
        eligibility=registry,
        required_uploads={kind: UploadKind(kind).label for kind in required_uploads(application)},
        uploads=uploads,
        live_cards=Card.objects.filter(person=person, state__in=LIVE_CARD_STATES).count() if person else 0,
        registry_third_generation_card=bool(registry and registry.has_valid_third_generation_card),
        other_open_applications=Application.objects.filter(id_digest=application.id_digest, state__in=OPEN_STATES)
        .exclude(pk=application.pk)
        .count(),
        address_errors=tuple(address_errors.values()),
        pickup_errors=tuple(pickup_errors.values()),
        returned_before=queries.returned_before(application),
    )


def rule_settings() -> tuple[set[str], dict[str, str]]:
    """The enabled rule codes and the administrator's titles. A rule missing from the table counts as on."""
    rows = {r.code: r for r in ReviewRule.objects.all()}
    enabled = {code for code in rules.ALL_RULES if code not in rows or rows[code].enabled}
    return enabled, {code: r.title for code, r in rows.items()}


def run(application_id: int, *, now: datetime.datetime | None = None) -> str:
    """Check one application; returns the outcome (``approved``, ``human``, or ``skipped:<why>``)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # The row lock makes two workers on one application take turns (PostgreSQL); on SQLite the
            # unique result per round below does the same job.
            application = Application.objects.select_for_update().filter(pk=application_id).first()
            skipped = _why_skip(application)
            if skipped:
                log.info("auto_review_skipped reason=%s application=%s", skipped, application_id)
                return f"skipped:{skipped}"
            check_event = queries.last_event(application)  # the submission or correction that asked for this check
            enabled, titles = rule_settings()
            verdict = rules.evaluate(gather_facts(application, timezone.localdate(now)), enabled, titles)
            findings = [f.to_dict() for f in verdict.findings]
            AutoReview.objects.create(
                application=application, submission_event=check_event, approved=verdict.approve,
                findings=findings, created_at=now,
            )
            if verdict.approve:
                lifecycle.perform(application, "start_review", actor=AUTO_REVIEW_ACTOR, reason="机器自动审核")
                lifecycle.perform(
                    application, "approve", actor=AUTO_REVIEW_ACTOR, reason=verdict.summary(),
                    data={"auto_review": findings},
                )
    except IntegrityError:
        # Another worker stored this round's result between our check and our insert.
        log.info("auto_review_skipped reason=already_done application=%s", application_id)
        return "skipped:already_done"
    outcome = "approved" if verdict.approve else "human"
    log.info("auto_review application=%s outcome=%s failed=%s", application_id, outcome,
             ",".join(f.code for f in verdict.failed) or "-")
    return outcome


def _why_skip(application: Application | None) -> str:
    if application is None:
        return "not_found"
    if application.state != State.SUBMITTED:
        return "not_submitted"
    latest = queries.last_event(application)
    if latest is None or latest.action not in lifecycle.MACHINE_CHECK_ACTIONS:
        return "with_a_reviewer"  # handed back to the queue by a reviewer: people decide this round
    if AutoReview.objects.filter(submission_event=latest).exists():
        return "already_done"
    return ""
