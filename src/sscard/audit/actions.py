"""Audit action codes and their Chinese labels. A code is ``<area>.<verb>``, stable once written.

Apps that record actions register their labels once (``register_action("review.approve", "审核通过")``,
e.g. in their AppConfig.ready) so the audit page can name them; an unknown code is shown as it is.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "staff.signin": "登录",
    "staff.signin_failed": "登录失败",
    "staff.signin_locked": "登录被锁定",
    "staff.signout": "退出登录",
    "staff.signout_idle": "长时间未操作，自动退出",
    "staff.otp_enrolled": "绑定动态口令",
    "staff.permission_denied": "无权限，访问被拒绝",
    "staff.unlock": "解除登录锁定",
    "staff.otp_reset": "重置动态口令设备",
    "audit.search": "查询审计记录",
}


def register_action(code: str, label: str) -> None:
    ACTION_LABELS[code] = label


def label_of(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def choices() -> list[tuple[str, str]]:
    return sorted(ACTION_LABELS.items())
