"""What applications add to real-name binding (accounts cannot import applications or audit, being below them):
the guard that keeps the binding fixed while the account's own application is open, and the audit rows of
binding changes. Both are hooked in from ``ApplicationsConfig.ready``."""

from __future__ import annotations

from sscard import audit
from sscard.accounts import realname
from sscard.accounts.models import Citizen
from sscard.applications.constants import OPEN_STATES, Relationship
from sscard.applications.models import Application
from sscard.audit.actions import register_action

ACTION_LABELS = {
    "citizen.realname_bind": "市民实名绑定",
    "citizen.realname_rebind": "市民更换实名绑定",
    "citizen.realname_unbind": "市民解除实名绑定",
}


def open_own_application(citizen: Citizen) -> Application | None:
    """The account's own (``self``) application still in progress: withdrawn and finished ones do not count."""
    return (
        Application.objects.filter(account=citizen, relationship=Relationship.SELF, state__in=OPEN_STATES)
        .order_by("-created_at").first()
    )


def binding_locked_reason(citizen: Citizen) -> str | None:
    """Why the account's binding may not change now (None: it may). Re-binding with an application open
    would let one account start a second "self" application for someone else."""
    application = open_own_application(citizen)
    if application is None:
        return None
    if application.acceptance_number:
        return (f"您的申领（受理编号{application.acceptance_number}）正在办理中，办结或撤销之前不能更改实名绑定。"
                "如需撤销，请在“我的申领”中操作；有疑问请拨打12333。")
    return "您有一份还没提交的申领草稿，撤销草稿之后才能更改实名绑定。可在“我的申领”中打开草稿并撤销。"


def record_binding_change(sender, *, citizen, action, person, previous, client_address="", **kwargs):
    """One audit row per change, in the binding's transaction; who it was is shown masked."""
    details = {"client_address": client_address}
    if person is not None:
        details["person"] = str(person)  # masked name and number (Person.__str__)
    if previous is not None:
        details["previous"] = str(previous)
    audit.record(None, f"citizen.realname_{action}", obj_kind="citizen", obj_id=citizen.pk,
                 username=f"citizen:{citizen.pk}", details=details)


def install() -> None:
    realname.register_binding_guard(binding_locked_reason)
    realname.binding_changed.connect(record_binding_change, dispatch_uid="applications.record_binding_change")
    for code, label in ACTION_LABELS.items():
        register_action(code, label)
