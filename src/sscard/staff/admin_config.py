"""The Django admin's AppConfig, pointing it at :class:`sscard.staff.admin_site.StaffAdminSite`.

Kept apart from the site class: this module is imported with the settings, before models exist.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "sscard.staff.admin_site.StaffAdminSite"
