from django.db import models


class CardState(models.TextChoices):
    INACTIVE = "inactive", "待激活"
    ACTIVE = "active", "已激活"
    LOCKED = "locked", "已锁定"
    LOST_TEMPORARY = "lost_temporary", "临时挂失"
    LOST_FORMAL = "lost_formal", "正式挂失"
    VOID = "void", "已作废"

