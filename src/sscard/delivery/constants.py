from django.db import models


class PickupMethod(models.TextChoices):
    MAIL = "mail", "邮寄到家"
    BRANCH = "branch", "网点自取"


class BranchKind(models.TextChoices):
    BANK = "bank", "合作银行网点"
    HR = "hr", "人社服务窗口"


MAIL_POSTAGE_YUAN = 10
