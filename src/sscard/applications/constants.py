from django.db import models


class State(models.TextChoices):
    """Internal codes are stable; the labels are what staff see (citizens see ``CITIZEN_LABELS``)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已受理"
    REVIEWING = "reviewing", "审核中"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "需补正"
    REFUSED = "refused", "不予受理"
    PRODUCING = "producing", "制卡中"
    PRODUCTION_FAILED = "production_failed", "制卡失败"
    PRODUCED = "produced", "已制卡"
    MAILED = "mailed", "已寄出"
    DELIVERED = "delivered", "已签收"
    AT_BRANCH = "at_branch", "网点待领取"
    COLLECTED = "collected", "已领卡"
    CANCELLED = "cancelled", "已撤销"


# What a citizen reads on the progress page: plain words, no internal detail.
CITIZEN_LABELS = {
    State.DRAFT: "还没提交",
    State.SUBMITTED: "已受理",
    State.REVIEWING: "审核中",
    State.APPROVED: "审核通过",
    State.RETURNED: "需要补充材料",
    State.REFUSED: "不予受理",
    State.PRODUCING: "制卡中",
    State.PRODUCTION_FAILED: "制卡中",  # a retry is the bureau's business, not the citizen's worry
    State.PRODUCED: "已制卡",
    State.MAILED: "已寄出",
    State.DELIVERED: "已签收",
    State.AT_BRANCH: "可到网点领卡",
    State.COLLECTED: "已领卡",
    State.CANCELLED: "已撤销",
}

# The lifecycle's transition table takes its final states from here (lifecycle.TABLE).
FINAL_STATES = frozenset({State.REFUSED, State.CANCELLED, State.DELIVERED, State.COLLECTED})
OPEN_STATES = frozenset(set(State) - FINAL_STATES)
# The citizen may still change the form and the photos (a draft, or returned for correction).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# The one change of pickup details: after approval, before the card is mailed or at the branch.
CHANGEABLE_PICKUP_STATES = frozenset({State.APPROVED, State.PRODUCING, State.PRODUCTION_FAILED, State.PRODUCED})

# The largest photo a citizen may upload (the seed: 20 MB), for the web pages and the channel API
# alike; a multipart request carries it with at most this much envelope around it.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MULTIPART_ENVELOPE_BYTES = 64 * 1024


class Channel(models.TextChoices):
    WEBSITE = "website", "中山人社局官网"
    H5 = "h5", "中山人社公众号（H5）"
    YUESHENGSHI = "yueshengshi", "粤省事小程序"
    COUNTER = "counter", "网点窗口"


class Kind(models.TextChoices):
    FIRST_ISSUE = "first_issue", "首次申领"
    REPLACEMENT = "replacement", "补换卡"


class Relationship(models.TextChoices):
    SELF = "self", "本人"
    PARENT = "parent", "为父母代办"
    CHILD = "child", "为未满16周岁子女代办（监护人）"
