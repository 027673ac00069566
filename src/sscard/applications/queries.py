"""Read-only look-ups of applications, in one place: the web pages, the channel API and the services
read through these, so the hot paths and the indexes they need can be read in one file."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from sscard.accounts.models import Citizen
from sscard.applications.constants import OPEN_STATES, Relationship, State
from sscard.applications.models import Application, ApplicationEvent, PickupChange, Upload
from sscard.applications.services.errors import JourneyError
from sscard.privacy.fields import digest
from sscard.registry.lookup import check_identity
from sscard.registry.models import Person


def applications_of(citizen: Citizen) -> QuerySet[Application]:
    """Everything the account filed, for itself and for family members, newest first."""
    return Application.objects.filter(account=citizen).select_related("branch").order_by("-created_at")


def family_applications_of(citizen: Citizen) -> QuerySet[Application]:
    return applications_of(citizen).exclude(relationship=Relationship.SELF)


def family_member_digests(citizen: Citizen) -> set[str]:
    """The ID digests of the family members this account has applied for."""
    return set(
        Application.objects.filter(account=citizen).exclude(relationship=Relationship.SELF)
        .values_list("id_digest", flat=True)
    )


def own_application(citizen: Citizen | None, public_id: uuid.UUID) -> Application | None:
    """The account's application (self or family), or None: another's is never told apart from none."""
    if citizen is None:
        return None
    return Application.objects.select_related("branch").filter(public_id=public_id, account=citizen).first()


def open_application_for(person: Person) -> Application | None:
    """The person's application still in progress, whoever filed it (at most one: a database constraint)."""
    return Application.objects.filter(id_digest=digest(person.id_number), state__in=OPEN_STATES).first()


def public_lookup(name: str, id_number: str) -> Application | None:
    """For the public progress query: the latest application, if name and ID number agree.

    "No such application" and "the name does not match" get the same answer, so the query cannot
    be used to learn whether a number is known or whose it is.
    """
    id_check, name_check, errors = check_identity(name, id_number)
    if errors:
        raise JourneyError("invalid_identity", "请核对姓名和证件号码", errors=errors)
    application = (
        Application.objects.filter(id_digest=digest(id_check.normalized))
        .exclude(state=State.DRAFT)
        .order_by("-created_at")
        .first()
    )
    if application is None or application.name != name_check.normalized:
        return None
    return application


def uploads_by_kind(application: Application) -> dict[str, Upload]:
    return {u.kind: u for u in application.uploads.all()}


def upload_of(application: Application, kind: str) -> Upload | None:
    return Upload.objects.filter(application=application, kind=kind).first()


def pickup_change_of(application: Application) -> PickupChange | None:
    """The one pickup change the application may have had (a database constraint)."""
    return application.pickup_change_requests.first()


def last_return_event(application: Application) -> ApplicationEvent | None:
    """The event that last returned the application for correction (its reasons are in ``data``), if any."""
    return application.events.filter(to_state=State.RETURNED).order_by("-id").first()
