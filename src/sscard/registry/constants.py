from django.db import models


class Insurance(models.TextChoices):
    EMPLOYEE = "employee", "职工社保"
    RESIDENT = "resident", "城乡居民社保"
    NONE = "none", "未在中山参保"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class CardStatus(models.TextChoices):
    """Status of a card as the registry's source system reports it (not our own card lifecycle)."""

    NORMAL = "normal", "正常"
    LOST = "lost", "挂失"
    VOID = "void", "注销"


ZHONGSHAN_REGION = "442000"
