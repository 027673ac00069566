"""Roles → permissions: the one place that says what each role may do, and keeps the groups in step.

Each :class:`~sscard.accounts.constants.Role` is a Django group named by its Chinese label. The groups'
permissions are set from :data:`ROLE_PERMISSIONS` after every ``migrate`` (``post_migrate``, idempotent),
and a user's role group follows ``User.role`` on every save (:func:`put_in_role_group`).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from sscard.accounts.constants import Role

ALL_MODEL_PERMISSIONS = "*model*"
"""Marker: every add/change/delete/view permission of every model (what the Django admin edits)."""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.REVIEWER: ["staff.review_application", "staff.view_personal_data"],
    Role.PRODUCTION: ["staff.run_batches", "staff.view_personal_data"],
    Role.CLERK: ["staff.serve_counter", "staff.view_personal_data"],
    Role.SUPERVISOR: ["staff.view_dashboard", "staff.view_sms_dashboard", "audit.view_auditentry"],
    # The administrator runs the system (accounts, reference data, templates) but does no casework.
    Role.ADMIN: ["staff.use_admin_site", "staff.view_sms_dashboard", "audit.view_auditentry", ALL_MODEL_PERMISSIONS],
}


def group_name(role: str) -> str:
    return Role(role).label


def _permissions(codes: list[str]) -> list[Permission]:
    found: list[Permission] = []
    for code in codes:
        if code == ALL_MODEL_PERMISSIONS:
            model_perms = Q()
            for action in ("add", "change", "delete", "view"):
                model_perms |= Q(codename__startswith=f"{action}_")
            # staff.StaffWork holds the work permissions, some named view_…: they are not model permissions.
            found.extend(Permission.objects.filter(model_perms).exclude(content_type__model="staffwork"))
            continue
        app_label, _, codename = code.partition(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is None:  # a typo here would silently take a right away from a whole role
            raise ImproperlyConfigured(f"ROLE_PERMISSIONS names {code!r}, which no model declares")
        found.append(perm)
    return found


def sync_role_groups() -> None:
    """Create or update one group per role with exactly its permissions and exactly its users."""
    user_model = get_user_model()
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
        group.user_set.set(user_model.objects.filter(role=role))


def put_in_role_group(user) -> None:
    """The user is in their role's group and in no other role's group (other groups are kept)."""
    names = {group_name(role): role for role in Role}
    wanted = group_name(user.role) if user.role else None
    if wanted and not Group.objects.filter(name=wanted).exists():
        sync_role_groups()  # first user of a fresh database, before post_migrate ran
        return
    current = list(user.groups.filter(name__in=names))
    user.groups.remove(*[g for g in current if g.name != wanted])
    if wanted and all(g.name != wanted for g in current):
        user.groups.add(Group.objects.get(name=wanted))


def on_post_migrate(sender, app_config=None, plan=None, **kwargs) -> None:
    """Runs once per ``migrate``: after the last app's permissions exist.

    ``flush`` sends post_migrate too, without a plan: the groups are then left to be re-created on the
    next role assignment (:func:`put_in_role_group`), because a test restoring a serialized database
    after a flush would otherwise meet the same groups twice.
    """
    if plan is None:
        return
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        sync_role_groups()
