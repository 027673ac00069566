from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "审核员"
    PRODUCTION = "production", "制卡员"
    CLERK = "clerk", "网点柜员"
    SUPERVISOR = "supervisor", "主管"
    ADMIN = "admin", "系统管理员"
