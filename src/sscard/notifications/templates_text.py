"""Default SMS texts. They seed the ``SmsTemplate`` table, which an administrator edits in the admin.

The signature 【中山人社】 is added when a message is rendered (setting ``SMS_SIGN_NAME``), never typed here.
"""

DEFAULT_TEMPLATES = {
    "login_code": "您的登录验证码为{code},{minutes}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。",
    "application_accepted": "您的申领已受理，编号{acceptance_number}，预计{decision_due}前完成审核。进度可在中山人社公众号或粤省事查询。",
    "application_approved": "您的社保卡申领（编号{acceptance_number}）已审核通过，即将制卡。",
    "application_returned": "您的社保卡申领（编号{acceptance_number}）需要补正：{reason}。请登录原渠道修改后重新提交。",
    "application_refused": "您的社保卡申领（编号{acceptance_number}）不予受理：{reason}。如有疑问请拨打12333。",
    "card_in_production": "您的社保卡（编号{acceptance_number}）正在制作，制好后将短信通知您。",
    "card_mailed": "您的社保卡已寄出，运单号{waybill}，请留意签收。",
    "card_at_branch": "您的社保卡已到网点，请携带身份证到{branch}领取，领取后请及时激活。",
    "card_delivered": "您的社保卡已签收，请在6个月内激活，逾期将锁定。",
    "pickup_change_accepted": "您修改领卡方式的申请（编号{acceptance_number}）已通过，将按新的领卡方式寄送或送达网点。",
    "pickup_change_refused": "您修改领卡方式的申请（编号{acceptance_number}）未通过：{reason}。仍按原领卡方式办理。",
    "card_activated": "您尾号{card_tail}的社保卡已激活，可正常使用。如非本人操作请立即拨打12333。",
    "lock_warning_30": "您尾号{card_tail}的社保卡尚未激活，将于{lock_date}锁定，请在{days_left}天内激活。",
    "lock_warning_7": "提醒：您尾号{card_tail}的社保卡还有{days_left}天将锁定（{lock_date}），请尽快激活。",
    "card_locked": "您尾号{card_tail}的社保卡因超过6个月未激活已锁定，请带身份证到网点解锁。",
    "loss_reported": "您尾号{card_tail}的社保卡已挂失。如非本人操作请立即拨打12333。",
    "overdue_apology": "很抱歉，您的社保卡申领（编号{acceptance_number}）审核超出承诺时间，预计{new_date}前完成，感谢您的耐心。",
    "card_delivery_failed": "您的社保卡快递投递未成功，已转到{branch}，请携带身份证前往领取，领取后请及时激活。",
    "card_collection_reminder": "您的社保卡已在{branch}存放{days}天，请携带身份证尽快领取；{return_date}前仍未领取的，卡片将退回封存。",
    "pin_reset_code": "您正在重置社保卡服务密码，验证码为{code}，{minutes}分钟内有效。请勿告诉他人；如非本人操作请拨打12333。",
    "loss_lifted": "您尾号{card_tail}的社保卡已解除临时挂失，可正常使用。如非本人操作请立即拨打12333。",
    "family_application_accepted": "{name}的社保卡申领（亲情代办）已受理，编号{acceptance_number}，预计{decision_due}前完成审核。进度可在中山人社公众号或粤省事查询。",
    "application_withdrawn": "{name}的社保卡申领（编号{acceptance_number}）已撤销。如非本人操作，请立即拨打12333。",
    "card_returned_unclaimed": "您的社保卡在{branch}超过{days}天未领取，已退回封存。请携带身份证到人社服务窗口办理领取。",
}
