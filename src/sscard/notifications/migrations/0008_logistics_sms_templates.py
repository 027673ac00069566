"""SMS templates for the card's way to the citizen: failed delivery, reminders at the branch, unclaimed return."""

from django.db import migrations, models

from sscard.notifications.constants import TEMPLATE_SPECS
from sscard.notifications.templates_text import DEFAULT_TEMPLATES

NEW = ["card_delivery_failed", "card_collection_reminder", "card_returned_unclaimed"]
# The shipped text before this migration: replaced by the new default only if no administrator has edited it.
OLD_AT_BRANCH = "您的社保卡已到{branch},请带身份证前往领取,领取后请及时激活。"


def load(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for code in NEW:
        SmsTemplate.objects.get_or_create(
            code=code, defaults={"body": DEFAULT_TEMPLATES[code], "urgent": TEMPLATE_SPECS[code].urgent}
        )
    SmsTemplate.objects.filter(code="card_at_branch", body=OLD_AT_BRANCH).update(
        body=DEFAULT_TEMPLATES["card_at_branch"]
    )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0007_remove_notification_foreign_keys'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='template_code',
            field=models.CharField(choices=[('login_code', '登录验证码'), ('application_accepted', '申领已受理'), ('application_returned', '申领需补正'), ('application_refused', '申领不予受理'), ('application_approved', '审核通过'), ('card_in_production', '制卡中'), ('card_mailed', '已寄出(运单号)'), ('card_at_branch', '已到网点'), ('card_delivered', '已签收'), ('pickup_change_accepted', '领卡方式修改已通过'), ('pickup_change_refused', '领卡方式修改未通过'), ('card_activated', '已激活'), ('lock_warning_30', '锁定预警(30天)'), ('lock_warning_7', '锁定预警(7天)'), ('card_locked', '已锁定'), ('loss_reported', '已挂失'), ('overdue_apology', '审核超期致歉'), ('card_delivery_failed', '投递失败转网点'), ('card_collection_reminder', '网点领卡提醒'), ('card_returned_unclaimed', '逾期未领封存')], max_length=50, verbose_name='模板'),
        ),
        migrations.AlterField(
            model_name='smstemplate',
            name='code',
            field=models.CharField(choices=[('login_code', '登录验证码'), ('application_accepted', '申领已受理'), ('application_returned', '申领需补正'), ('application_refused', '申领不予受理'), ('application_approved', '审核通过'), ('card_in_production', '制卡中'), ('card_mailed', '已寄出(运单号)'), ('card_at_branch', '已到网点'), ('card_delivered', '已签收'), ('pickup_change_accepted', '领卡方式修改已通过'), ('pickup_change_refused', '领卡方式修改未通过'), ('card_activated', '已激活'), ('lock_warning_30', '锁定预警(30天)'), ('lock_warning_7', '锁定预警(7天)'), ('card_locked', '已锁定'), ('loss_reported', '已挂失'), ('overdue_apology', '审核超期致歉'), ('card_delivery_failed', '投递失败转网点'), ('card_collection_reminder', '网点领卡提醒'), ('card_returned_unclaimed', '逾期未领封存')], max_length=50, unique=True, verbose_name='模板'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
