import datetime

from django.apps import AppConfig

from sscard.audit.actions import register_action
from sscard.scheduling import Job, register_job

# What the workbench writes to the audit trail (review/views.py); "_refused": the service said no.
AUDIT_ACTIONS = {
    "review.search": "审核工作台查找申领",
    "review.view": "查看申领资料",
    "review.view_image": "查看申领照片",
    "review.claim": "领取申领",
    "review.claim_refused": "领取申领未成功",
    "review.release": "放回待审队列",
    "review.release_refused": "放回待审队列未成功",
    "review.approve": "审核通过",
    "review.approve_refused": "审核通过未成功",
    "review.return": "退回补正",
    "review.return_refused": "退回补正未成功",
    "review.refuse": "不予受理",
    "review.refuse_refused": "不予受理未成功",
    "review.pickup_change": "审核领卡信息修改",
    "review.pickup_change_refused": "审核领卡信息修改未成功",
}


class ReviewConfig(AppConfig):
    name = "sscard.review"
    verbose_name = "审核"

    def ready(self):
        # Connected here, not at import: review listens to applications, which never imports review.
        from sscard.applications.signals import application_changed
        from sscard.review.receivers import on_application_changed

        application_changed.connect(on_application_changed, dispatch_uid="review.auto_review")
        # Periodic work (sscard scheduler); the commands review-sweep and review-overdue run the same functions.
        from sscard.review.sla import flag_overdue
        from sscard.review.tasks import requeue_lost_auto_reviews

        register_job(Job("review.requeue_auto_reviews", lambda now: {"requeued": requeue_lost_auto_reviews(now)},
                         "自动审核巡检：重新排队没有结果的检查", every_seconds=300))
        register_job(Job("review.flag_overdue", flag_overdue, "审核超期检查与致歉短信", daily_at=datetime.time(9, 0)))
        for code, label in AUDIT_ACTIONS.items():
            register_action(code, label)
