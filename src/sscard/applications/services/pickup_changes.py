"""The one change of pickup details allowed between approval and dispatch, and its decision."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.applications import queries
from sscard.applications.constants import CHANGEABLE_PICKUP_STATES
from sscard.applications.forms_rules import validate_address, validate_pickup
from sscard.applications.models import Application, PickupChange, PickupChangeState
from sscard.applications.notices import notify_application
from sscard.applications.services.errors import JourneyError
from sscard.delivery import queries as branches
from sscard.delivery.constants import PickupMethod
from sscard.workdays.services import add_working_days


def may_request_change(application: Application) -> bool:
    return application.state in CHANGEABLE_PICKUP_STATES and queries.pickup_change_of(application) is None


def request_pickup_change(application: Application, data: dict, *, actor: str) -> PickupChange:
    if application.state not in CHANGEABLE_PICKUP_STATES:
        raise JourneyError("pickup_change_not_now", "只有审核通过后、寄出或送达网点之前可以修改领卡信息",
                           application=application)
    if queries.pickup_change_of(application) is not None:
        raise JourneyError("pickup_change_used", "领卡信息只能修改1次，您已经提交过修改；如需再改请拨打12333",
                           application=application)
    clean, errors = validate_pickup(data, branch_exists=branches.is_open_branch)
    if not errors and clean.get("pickup_method") == PickupMethod.MAIL:
        address, errors = validate_address(data)
        clean.update(address)
    if errors:
        raise JourneyError("invalid_pickup", "请核对领卡信息", errors=errors, application=application)
    previous = {"pickup_method": application.pickup_method, "branch": application.branch.code if application.branch else "",
                "town": application.town, "address_detail": application.address_detail}
    try:
        with transaction.atomic():
            return PickupChange.objects.create(
                application=application, requested=clean, previous=previous,
                due=add_working_days(timezone.localdate(), 1),
            )
    except IntegrityError:
        raise JourneyError("pickup_change_used", "领卡信息只能修改1次，您已经提交过修改", application=application) from None


def decide_pickup_change(change: PickupChange, *, accept: bool, actor: str, reason: str = "") -> PickupChange:
    """Staff accept or refuse within 1 working day; the citizen gets an SMS either way."""
    with transaction.atomic():
        locked = PickupChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != PickupChangeState.PENDING:
            raise JourneyError("already_decided", "这条修改申请已经处理过")
        application = Application.objects.select_for_update().get(pk=locked.application_id)
        if accept and application.state not in CHANGEABLE_PICKUP_STATES:
            accept, reason = False, "卡片已寄出或已送达网点，无法再修改"
        if accept:
            _apply(application, locked.requested)
        locked.state = PickupChangeState.ACCEPTED if accept else PickupChangeState.REFUSED
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason
        locked.save()
        notify_application(application, "pickup_change_accepted" if accept else "pickup_change_refused", reason=reason)
    return locked


def _apply(application: Application, requested: dict) -> None:
    application.pickup_method = requested["pickup_method"]
    application.branch = branches.branch_by_code(requested.get("branch", ""))
    if requested["pickup_method"] == PickupMethod.MAIL:
        application.town = requested["town"]
        application.address_detail = requested["address_detail"]
    application.pickup_changes += 1
    application.save()
