"""Roles as groups with real permissions: what each role may and may not open."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from sscard.accounts.constants import Role
from sscard.accounts.roles import ROLE_PERMISSIONS, sync_role_groups
from sscard.audit.models import AuditEntry
from sscard.staff import nav
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

# Areas that exist in this tree, by the key of their link on the staff home.
LINKS = {
    Role.REVIEWER: set(),
    Role.PRODUCTION: set(),
    Role.CLERK: set(),
    Role.SUPERVISOR: {"sms", "audit"},
    Role.ADMIN: {"sms", "audit", "admin"},
}
AUDIT_PAGE = {Role.SUPERVISOR, Role.ADMIN}
ADMIN_SITE = {Role.ADMIN}
ALWAYS_PRESENT = {"sms", "audit", "admin"}  # their URLs exist whatever else is built


def _signed_in(client, role):
    user = StaffUserFactory(role=role)
    client.force_login(user)
    return user


def _links(response) -> set[str]:
    return {link["key"] for link in response.context["links"]}


@pytest.mark.parametrize("role", list(Role))
def test_home_shows_name_role_and_exactly_the_links_the_role_allows(client, role):
    user = _signed_in(client, role)
    response = client.get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert Role(role).label in page and user.first_name in page
    assert _links(response) & ALWAYS_PRESENT == LINKS[role]
    for link in response.context["links"]:  # every link shown is one the role may follow
        assert user.has_perm(nav._ENTRIES[link["key"]].perm)


@pytest.mark.parametrize("role", list(Role))
def test_audit_page_is_for_supervisors_and_administrators(client, role):
    _signed_in(client, role)
    response = client.get("/staff/audit/")
    if role in AUDIT_PAGE:
        assert response.status_code == 200
        return
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page and "查看审计记录" in page and Role(role).label in page
    denied = AuditEntry.objects.get(action="staff.permission_denied")
    assert denied.details == {"missing": ["audit.view_auditentry"]} and denied.obj_id == "/staff/audit/"


@pytest.mark.parametrize("role", list(Role))
def test_django_admin_is_for_administrators_only(client, role):
    _signed_in(client, role)
    response = client.get("/staff/admin/", follow=True)
    if role in ADMIN_SITE:
        assert response.status_code == 200 and "业务管理" in response.content.decode()
        assert client.get("/staff/admin/accounts/user/").status_code == 200
        return
    assert response.status_code == 403
    assert "使用系统管理后台" in response.content.decode()
    assert client.get("/staff/admin/accounts/user/", follow=True).status_code == 403


def test_a_superuser_without_a_role_may_use_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-Long-Password-1"))
    assert client.get("/staff/admin/").status_code == 200
    assert "超级管理员" in client.get("/staff/").content.decode()


def test_a_link_shows_only_when_its_page_exists_and_the_role_may_open_it(client):
    nav.register_nav("test-missing", "尚未建成", "nowhere:page", perm="audit.view_auditentry")
    nav.register_nav("test-home", "后台首页", "staff:home", perm="staff.review_application")
    try:
        _signed_in(client, Role.REVIEWER)
        links = _links(client.get("/staff/"))
        assert "test-home" in links and "test-missing" not in links
        client.force_login(StaffUserFactory(role=Role.SUPERVISOR))
        links = _links(client.get("/staff/"))
        assert "test-home" not in links and "test-missing" not in links
    finally:
        nav._ENTRIES.pop("test-missing")
        nav._ENTRIES.pop("test-home")


def test_setting_the_role_moves_the_user_between_groups():
    user = StaffUserFactory(role=Role.REVIEWER)
    other = Group.objects.create(name="培训小组")
    user.groups.add(other)
    assert set(user.groups.values_list("name", flat=True)) == {"审核员", "培训小组"}
    assert user.has_perm("staff.review_application") and not user.has_perm("audit.view_auditentry")

    user.role = Role.SUPERVISOR
    user.save()
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per instance
    assert set(user.groups.values_list("name", flat=True)) == {"主管", "培训小组"}
    assert user.has_perm("audit.view_auditentry") and not user.has_perm("staff.review_application")


def test_groups_hold_exactly_the_mapped_permissions_and_the_sync_is_idempotent():
    sync_role_groups()
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    sync_role_groups()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after
    for role in [Role.REVIEWER, Role.PRODUCTION, Role.CLERK, Role.SUPERVISOR]:
        group = Group.objects.get(name=Role(role).label)
        codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert codes == set(ROLE_PERMISSIONS[role])
    admin_codes = {p.codename for p in Group.objects.get(name="系统管理员").permissions.all()}
    assert {"use_admin_site", "change_user", "view_auditentry"} <= admin_codes
    assert not admin_codes & {"review_application", "view_personal_data", "serve_counter", "run_batches"}


def test_a_role_map_naming_an_unknown_permission_fails_loudly(monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.REVIEWER, ["staff.review_aplication"])
    with pytest.raises(Exception, match="review_aplication"):
        sync_role_groups()


def test_a_clerk_must_belong_to_a_branch():
    clerk = StaffUserFactory.build(username="c1", role=Role.CLERK, branch=None)
    with pytest.raises(ValidationError) as caught:
        clerk.full_clean()
    assert "网点柜员必须绑定所属网点" in str(caught.value)


def test_every_model_in_the_admin_has_a_chinese_name(client):
    _signed_in(client, Role.ADMIN)
    app_list = client.get("/staff/admin/").context["app_list"]
    names = [str(app["name"]) for app in app_list] + [str(m["name"]) for app in app_list for m in app["models"]]
    assert [name for name in names if not any("\u4e00" <= ch <= "\u9fff" for ch in name)] == []


def test_every_admin_list_column_has_a_chinese_label():
    def chinese(text) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))

    english = []
    for model, model_admin in admin.site._registry.items():
        if not type(model_admin).__module__.startswith("sscard."):
            continue  # third-party admins (django-otp, axes, tasks) label their own columns
        for name in model_admin.list_display:
            if name == "__str__":
                continue
            label = label_for_field(name, model, model_admin)
            if not chinese(label):
                english.append(f"{model._meta.label}.{name}: {label}")
    assert english == []


def test_the_admin_login_page_sends_everyone_to_the_one_staff_sign_in(client):
    response = client.get("/staff/admin/login/?next=/staff/admin/accounts/user/")
    assert response["Location"] == "/staff/login/?next=/staff/admin/accounts/user/"
    _signed_in(client, Role.ADMIN)
    assert client.get("/staff/admin/login/?next=https://evil.example/")["Location"] == "/staff/admin/"
