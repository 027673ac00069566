"""The staff home's links: a registry other apps add to (``register_nav``, in their AppConfig.ready).

A link is shown only when its URL exists (reverse() succeeds) and the user holds its permission, so an
area not built yet simply does not appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    perm: str
    hint: str = ""
    order: int = 100


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(key: str, label: str, url_name: str, *, perm: str, hint: str = "", order: int = 100) -> None:
    """Add (or, with the same key, replace) a link on the staff home."""
    _ENTRIES[key] = NavEntry(key, label, url_name, perm, hint, order)


def links_for(user) -> list[dict]:
    links = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key)):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        if user.has_perm(entry.perm):
            links.append({"key": entry.key, "label": entry.label, "url": url, "hint": entry.hint})
    return links


# The back office's areas. Their apps may re-register these keys with their own URL names.
register_nav("workbench", "审核工作台", "review:workbench", perm="staff.review_application",
             hint="审核机器未能自动通过的申领", order=10)
register_nav("overdue", "超期未审结的申领", "review:overdue", perm="staff.view_dashboard",
             hint="超过审核时限仍未审结的申领及其处理人", order=15)
register_nav("dashboard", "业务统计看板", "review:dashboard", perm="staff.view_dashboard",
             hint="受理量、时限、退回原因，按镇街和渠道", order=20)
register_nav("production", "制卡批次", "production:batches", perm="staff.run_batches",
             hint="送制、导入制卡结果、处理制卡失败", order=30)
register_nav("counter", "网点柜台", "counter:home", perm="staff.serve_counter",
             hint="现场受理、发卡、激活、解锁、挂失补卡", order=40)
register_nav("sms", "短信发送看板", "notifications:dashboard", perm="staff.view_sms_dashboard",
             hint="短信发送量、送达率和失败原因", order=50)
register_nav("audit", "审计记录", "staff:audit", perm="audit.view_auditentry",
             hint="按人员、操作、日期和受理编号查询", order=60)
register_nav("admin", "系统管理后台", "admin:index", perm="staff.use_admin_site",
             hint="账号与角色、网点、节假日、短信模板", order=70)
