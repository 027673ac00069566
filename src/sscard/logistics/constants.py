from django.db import models

from sscard.logistics import fileformat


class EventKind(models.TextChoices):
    """What happened to a card on its way to the citizen. The first five come from the bank and the courier
    (file import or webhook); the last two are written by the daily job for cards waiting at a branch."""

    BANK_RECEIVED = "bank_received", "市银行签收"
    MAILED = "mailed", "已寄出"
    DELIVERED = "delivered", "已签收"
    DELIVERY_FAILED = "delivery_failed", "投递失败，转网点"
    BRANCH_RECEIVED = "branch_received", "网点签收"
    COLLECTION_REMINDER = "collection_reminder", "领卡提醒"
    RETURNED_UNCLAIMED = "returned_unclaimed", "逾期未领，退回封存"


class Source(models.TextChoices):
    FILE = "file", "文件导入"
    WEBHOOK = "webhook", "快递回调"
    SIMULATOR = "simulator", "演示模拟"
    SYSTEM = "system", "系统任务"


# The events a logistics file (and the simulator) may carry, and the courier's subset for the webhook.
FILE_EVENTS = frozenset(fileformat.EVENTS)
COURIER_EVENTS = frozenset({"delivered", "delivery_failed"})

# What the citizen reads on the progress timeline for events that change no application state (the others
# appear through the application's own history).
TIMELINE_LABELS = {
    EventKind.BANK_RECEIVED: "市银行已签收",
    EventKind.COLLECTION_REMINDER: "已短信提醒领卡",
    EventKind.RETURNED_UNCLAIMED: "逾期未领取，卡片已退回封存",
}
