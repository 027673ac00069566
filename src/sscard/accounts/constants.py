from django.db import models


class Role(models.TextChoices):
    """A staff member's job. Each role is a Django group of the same (Chinese) name, whose permissions
    come from :data:`sscard.accounts.roles.ROLE_PERMISSIONS`."""

    REVIEWER = "reviewer", "审核员"
    PRODUCTION = "production", "制卡员"
    CLERK = "clerk", "网点柜员"
    SUPERVISOR = "supervisor", "主管"
    ADMIN = "admin", "系统管理员"


# The back-office work a permission allows, declared on the holder model ``staff.StaffWork``
# (there is no one model each of these belongs to). Code ``staff.<codename>``.
WORK_PERMISSIONS = [
    ("review_application", "审核申领（审核工作台）"),
    ("view_personal_data", "查看申领人未遮盖的个人资料和材料"),
    ("view_dashboard", "查看业务统计看板"),
    ("run_batches", "制卡批次：送制、导入制卡结果、处理制卡失败"),
    ("serve_counter", "网点柜台业务：现场受理、发卡、激活、解锁、挂失补卡"),
    ("view_sms_dashboard", "查看短信发送看板"),
    ("use_admin_site", "使用系统管理后台"),
]
