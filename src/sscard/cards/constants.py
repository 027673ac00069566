from django.db import models


class CardState(models.TextChoices):
    INACTIVE = "inactive", "待激活"
    ACTIVE = "active", "已激活"
    LOCKED = "locked", "已锁定"
    LOST_TEMPORARY = "lost_temporary", "临时挂失"
    LOST_FORMAL = "lost_formal", "正式挂失"
    VOID = "void", "已作废"


# Cards that still count as the person's card ("already has a card"): anything not void and not formally
# reported lost. A formally lost card is the one state from which a replacement may be applied for.
LIVE_STATES = frozenset({CardState.INACTIVE, CardState.ACTIVE, CardState.LOCKED, CardState.LOST_TEMPORARY})


class WarningKind(models.TextChoices):
    """The SMS warnings before the 6-month lock; each template code is the kind's value."""

    LOCK_30 = "lock_warning_30", "锁定前30天提醒"
    LOCK_7 = "lock_warning_7", "锁定前7天提醒"


# Days before the lock date on which each warning is due.
WARNING_DAYS = {WarningKind.LOCK_30: 30, WarningKind.LOCK_7: 7}


class CardAction(models.TextChoices):
    """What a citizen may do with a card now (web page buttons and the API's ``actions``)."""

    ACTIVATE = "activate", "激活"
    REPORT_LOSS = "report_loss", "临时挂失"
    REPORT_LOSS_FORMAL = "report_loss_formal", "正式挂失"
    LIFT_LOSS = "lift_loss", "解除临时挂失"
    REPLACE = "replace", "补换卡"
    RESET_PIN = "reset_pin", "重置服务密码"
