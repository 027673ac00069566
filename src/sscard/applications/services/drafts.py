"""Starting an application (for oneself or a family member) and filling in its steps."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from sscard.accounts.models import Citizen
from sscard.applications import lifecycle, queries
from sscard.applications.constants import EDITABLE_STATES, Channel, Relationship, State
from sscard.applications.forms_rules import validate_address, validate_contact, validate_pickup
from sscard.applications.models import Application
from sscard.applications.services import correction
from sscard.applications.services.eligibility import own_eligibility
from sscard.applications.services.errors import JourneyError
from sscard.applications.services.family import family_member
from sscard.common.text import storable
from sscard.delivery import queries as branches

STEPS = ("contact", "address", "pickup")
# The form fields each step may set; anything else in the request is ignored.
STEP_FIELDS = {
    "contact": ("phone",),
    "address": ("town", "address_detail"),
    "pickup": ("pickup_method", "branch"),
}


def start_application(
    citizen: Citizen,
    *,
    channel: str,
    relationship: str = Relationship.SELF,
    name: str = "",
    id_number: str = "",
) -> tuple[Application, bool]:
    """A draft for the citizen (or a family member), or their existing open application."""
    if channel not in Channel.values:
        raise JourneyError("invalid_channel", "申领渠道无效")
    if relationship == Relationship.SELF:
        if citizen.person is None:
            raise JourneyError("realname_required", "请先完成实名认证")
        person = citizen.person
        verdict = own_eligibility(person)
    else:
        verdict, person = family_member(citizen, relationship, name, id_number)
    if not verdict.may_apply_online or person is None:
        raise JourneyError(f"not_eligible_{verdict.verdict.value}", verdict.title,
                           errors={"eligibility": ";".join(verdict.reasons + verdict.next_steps)})
    existing = queries.open_application_for(person)
    if existing is not None:
        return _existing_for(citizen, existing), False
    try:
        with transaction.atomic():
            application = lifecycle.create_draft(
                actor=f"citizen:{citizen.pk}", channel=channel, person=person, name=person.name,
                id_number=person.id_number, account=citizen, relationship=relationship,
                # Notices go to the account's phone unless the family member's own phone is entered.
                phone=citizen.phone,
            )
    except IntegrityError:
        # Two devices pressed "start" together: the database let one through; show that one.
        existing = queries.open_application_for(person)
        if existing is None:
            raise
        return _existing_for(citizen, existing), False
    return application, True


def _existing_for(citizen: Citizen, existing: Application) -> Application:
    """The open application is shown only to the account that filed it: never reveal another's."""
    if existing.account_id != citizen.pk:
        raise JourneyError(
            "application_exists",
            "已有一份正在办理的申领（由家人或在窗口提交），可在“进度查询”里用姓名和身份证号查看进度",
        )
    return existing


def save_step(application: Application, step: str, data: dict, *, actor: str | None = None) -> dict:
    """Validate one step and save it. Returns errors (empty: saved).

    A draft (or a returned application) keeps what was typed either way. An application waiting for review
    changes only when the step is valid and different, and the change is recorded (``correction.recording``).
    """
    if step not in STEPS:
        raise JourneyError("invalid_step", "没有这一步")
    correction.ensure_may_change(application, step)
    # Kept as typed to show again, less NUL: PostgreSQL stores none (the step refuses it, common.text).
    typed = {k: storable(str(v)) for k, v in data.items() if k in STEP_FIELDS[step]}
    # The rules see what was sent (NUL included, so it is refused); the draft keeps ``typed``.
    sent = {k: str(v) for k, v in data.items() if k in STEP_FIELDS[step]}
    if step == "contact":
        clean, errors = validate_contact(sent)
    elif step == "address":
        clean, errors = validate_address(sent)
    else:
        clean, errors = validate_pickup(sent, branch_exists=branches.is_open_branch)
    if "branch" in clean:
        clean["branch"] = branches.branch_by_code(clean["branch"]) if clean["branch"] else None
    if application.state == State.SUBMITTED and (errors or all(getattr(application, k) == v for k, v in clean.items())):
        return errors  # nothing to record: invalid, or the same as before
    with correction.recording(application, step, actor=actor):
        application.form_data = {**application.form_data, **typed}
        for key, value in ({} if errors else clean).items():
            setattr(application, key, value)
        # Only these columns: a stale copy must never write back an old state.
        application.save(update_fields=["form_data", "updated_at", *({} if errors else clean)])
    return errors


def resume_step(application: Application) -> str | None:
    """The first step still to fill in (``uploads`` once the form is complete); None when not editable."""
    if application.state not in EDITABLE_STATES:
        return None
    if not application.phone:
        return "contact"
    if not application.address_detail:
        return "address"
    if not application.pickup_method:
        return "pickup"
    return "uploads"
