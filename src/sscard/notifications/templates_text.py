"""Default SMS texts (an administrator edits them in the admin once the template table exists)."""

DEFAULT_TEMPLATES = {
    "application_accepted": "您的申领已受理,编号{acceptance_number},预计{decision_due}前完成审核。进度可在中山人社公众号或粤省事查询。",
    "application_approved": "您的社保卡申领(编号{acceptance_number})已审核通过,即将制卡。",
    "application_returned": "您的社保卡申领(编号{acceptance_number})需要补正:{reason}。请登录原渠道修改后重新提交。",
    "application_refused": "您的社保卡申领(编号{acceptance_number})不予受理:{reason}。如有疑问请拨打12333。",
    "card_in_production": "您的社保卡(编号{acceptance_number})正在制作。",
    "card_mailed": "您的社保卡已寄出,运单号{waybill},请留意签收。",
    "card_at_branch": "您的社保卡已到{branch},请带身份证前往领取,领取后请及时激活。",
    "card_delivered": "您的社保卡已签收,请在6个月内激活,逾期将锁定。",
    "card_activated": "您的社保卡已激活,可正常使用。",
    "card_locked": "您的社保卡因超过6个月未激活已锁定,请带身份证到网点解锁。",
    "loss_reported": "您的社保卡已挂失。如非本人操作请立即拨打12333。",
}
