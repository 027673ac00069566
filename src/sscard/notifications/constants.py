"""Stable codes for the SMS outbox: states, failure kinds and the catalogue of templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class NotificationState(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"
    EXPIRED = "expired", "已过期"


FINAL_STATES = frozenset({NotificationState.DELIVERED, NotificationState.FAILED, NotificationState.EXPIRED})


class FailureKind(models.TextChoices):
    TEMPORARY = "temporary", "临时失败（重试已用尽）"
    PERMANENT = "permanent", "永久失败"


class ReceiptOutcome(models.TextChoices):
    APPLIED = "applied", "已更新短信状态"
    PENDING = "pending", "等待匹配（回执早于发送结果）"
    IGNORED_FINAL = "ignored_final", "已是最终状态，忽略"
    UNKNOWN = "unknown", "找不到对应短信"


APPLICATION_VARS = frozenset({"acceptance_number", "decision_due", "reason", "branch", "waybill", "name"})
CARD_VARS = frozenset({"acceptance_number", "card_tail", "branch", "lock_date", "days_left"})


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    label: str
    variables: frozenset[str]
    urgent: bool
    # Variables that must never be stored or shown in clear (the sign-in code).
    secret: frozenset[str] = frozenset()


_SPECS = [
    TemplateSpec("login_code", "登录验证码", frozenset({"code", "minutes"}), True, frozenset({"code"})),
    TemplateSpec("application_accepted", "申领已受理", APPLICATION_VARS, True),
    TemplateSpec("application_returned", "申领需补正", APPLICATION_VARS, True),
    TemplateSpec("application_refused", "申领不予受理", APPLICATION_VARS, True),
    TemplateSpec("application_approved", "审核通过", APPLICATION_VARS, True),
    TemplateSpec("card_in_production", "制卡中", APPLICATION_VARS, False),
    TemplateSpec("card_mailed", "已寄出（运单号）", APPLICATION_VARS, False),
    TemplateSpec("card_at_branch", "已到网点", APPLICATION_VARS, False),
    TemplateSpec("card_delivered", "已签收", APPLICATION_VARS, False),
    TemplateSpec("pickup_change_accepted", "领卡方式修改已通过", APPLICATION_VARS, True),
    TemplateSpec("pickup_change_refused", "领卡方式修改未通过", APPLICATION_VARS, True),
    TemplateSpec("card_activated", "已激活", CARD_VARS, True),
    TemplateSpec("lock_warning_30", "锁定预警（30天）", CARD_VARS, False),
    TemplateSpec("lock_warning_7", "锁定预警（7天）", CARD_VARS, False),
    TemplateSpec("card_locked", "已锁定", CARD_VARS, False),
    TemplateSpec("loss_reported", "已挂失", CARD_VARS, True),
    TemplateSpec("overdue_apology", "审核超期致歉", APPLICATION_VARS | {"new_date"}, False),
    TemplateSpec("card_delivery_failed", "投递失败转网点", APPLICATION_VARS, False),
    TemplateSpec("card_collection_reminder", "网点领卡提醒", APPLICATION_VARS | {"days", "return_date"}, False),
    TemplateSpec("card_returned_unclaimed", "逾期未领封存", APPLICATION_VARS | {"days"}, False),
    TemplateSpec("pin_reset_code", "服务密码重置验证码", frozenset({"code", "minutes"}), True, frozenset({"code"})),
    TemplateSpec("loss_lifted", "已解除临时挂失", CARD_VARS, True),
    TemplateSpec("family_application_accepted", "亲情代办申领已受理", APPLICATION_VARS, True),
    TemplateSpec("application_withdrawn", "申领已撤销", APPLICATION_VARS, True),
]
TEMPLATE_SPECS: dict[str, TemplateSpec] = {spec.code: spec for spec in _SPECS}
TEMPLATE_CHOICES = [(spec.code, spec.label) for spec in _SPECS]

# Example values the template editor uses to show a realistic length and segment count.
SAMPLE_CONTEXT = {
    "code": "123456",
    "minutes": "5",
    "acceptance_number": "SB4420202611290001",
    "decision_due": "12月03日",
    "reason": "身份证反面照片不清晰",
    "branch": "中山市人社局石岐服务网点",
    "waybill": "SF1234567890123",
    "name": "张*",
    "card_tail": "1234",
    "lock_date": "2027年05月29日",
    "days_left": "30",
    "new_date": "12月05日",
    "days": "30",
    "return_date": "2027年05月29日",
}

MASK = "******"
