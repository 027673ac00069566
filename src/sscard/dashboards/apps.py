from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "sscard.dashboards"
    verbose_name = "业务统计看板"

    def ready(self):
        # Here, not at import: the registries belong to staff and audit, which must be loaded first.
        from sscard.audit.actions import register_action
        from sscard.staff.nav import register_nav

        register_nav("dashboard", "业务统计看板", "dashboards:intake", perm="staff.view_dashboard",
                     hint="受理量、审核时限、退回原因、审核员工作量，按镇街和渠道", order=20)
        register_action("dashboards.export", "导出统计数据")
