"""0001–0007 in one, for a fresh database: the outbox with a reference to what each message is about and no
foreign key to any other app, so this migration depends on none of theirs (notifications sits below every domain).

A database that has applied only part of 0001–0007 keeps using those (0006 carries its foreign keys into
references); one that has applied all of them, or none, uses this. The replaced files can be deleted once every
installation has migrated past 0007.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import sscard.privacy.fields
from sscard.notifications.constants import TEMPLATE_SPECS
from sscard.notifications.templates_text import DEFAULT_TEMPLATES


def load_default_templates(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for code, body in DEFAULT_TEMPLATES.items():
        SmsTemplate.objects.get_or_create(code=code, defaults={"body": body, "urgent": TEMPLATE_SPECS[code].urgent})


class Migration(migrations.Migration):

    replaces = [
        ('notifications', '0001_initial'),
        ('notifications', '0002_default_templates'),
        ('notifications', '0003_dailyquota'),
        ('notifications', '0004_notification_pending_since'),
        ('notifications', '0005_notification_reference'),
        ('notifications', '0006_copy_foreign_keys_to_reference'),
        ('notifications', '0007_remove_notification_foreign_keys'),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='ConsoleMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('idempotency_key', models.UUIDField(unique=True)),
                ('message_id', models.CharField(max_length=40, unique=True)),
                ('phone', sscard.privacy.fields.EncryptedTextField()),
                ('body', sscard.privacy.fields.EncryptedTextField()),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                'verbose_name': '演示短信收件箱',
                'verbose_name_plural': '演示短信收件箱',
            },
        ),
        migrations.CreateModel(
            name='SmsTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('login_code', '登录验证码'), ('application_accepted', '申领已受理'), ('application_returned', '申领需补正'), ('application_refused', '申领不予受理'), ('application_approved', '审核通过'), ('card_in_production', '制卡中'), ('card_mailed', '已寄出(运单号)'), ('card_at_branch', '已到网点'), ('card_delivered', '已签收'), ('pickup_change_accepted', '领卡方式修改已通过'), ('pickup_change_refused', '领卡方式修改未通过'), ('card_activated', '已激活'), ('lock_warning_30', '锁定预警(30天)'), ('lock_warning_7', '锁定预警(7天)'), ('card_locked', '已锁定'), ('loss_reported', '已挂失'), ('overdue_apology', '审核超期致歉')], max_length=50, unique=True, verbose_name='模板')),
                ('body', models.TextField(help_text='不含签名;签名【中山人社】发送时自动加在开头。变量写作 {变量名}。', verbose_name='短信内容')),
                ('urgent', models.BooleanField(default=True, help_text='紧急短信不受夜间免打扰时段限制。', verbose_name='紧急')),
                ('tencent_template_id', models.CharField(blank=True, max_length=40, verbose_name='腾讯云模板ID')),
                ('aliyun_template_code', models.CharField(blank=True, max_length=40, verbose_name='阿里云模板CODE')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='修改时间')),
            ],
            options={
                'verbose_name': '短信模板',
                'verbose_name_plural': '短信模板',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('idempotency_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('template_code', models.CharField(choices=[('login_code', '登录验证码'), ('application_accepted', '申领已受理'), ('application_returned', '申领需补正'), ('application_refused', '申领不予受理'), ('application_approved', '审核通过'), ('card_in_production', '制卡中'), ('card_mailed', '已寄出(运单号)'), ('card_at_branch', '已到网点'), ('card_delivered', '已签收'), ('pickup_change_accepted', '领卡方式修改已通过'), ('pickup_change_refused', '领卡方式修改未通过'), ('card_activated', '已激活'), ('lock_warning_30', '锁定预警(30天)'), ('lock_warning_7', '锁定预警(7天)'), ('card_locked', '已锁定'), ('loss_reported', '已挂失'), ('overdue_apology', '审核超期致歉')], max_length=50, verbose_name='模板')),
                ('phone', sscard.privacy.fields.EncryptedTextField(verbose_name='手机号')),
                ('phone_digest', models.CharField(editable=False, max_length=64)),
                ('context', models.JSONField(default=dict, verbose_name='模板变量')),
                ('secret_context', sscard.privacy.fields.EncryptedTextField(blank=True, default='', editable=False)),
                ('body', sscard.privacy.fields.EncryptedTextField(verbose_name='短信内容')),
                ('display_body', models.TextField(verbose_name='短信内容(脱敏)')),
                ('urgent', models.BooleanField(default=True, verbose_name='紧急')),
                ('state', models.CharField(choices=[('queued', '待发送'), ('sending', '发送中'), ('sent', '已发送'), ('delivered', '已送达'), ('failed', '发送失败'), ('expired', '已过期')], default='queued', max_length=20, verbose_name='状态')),
                ('failure_kind', models.CharField(blank=True, choices=[('temporary', '临时失败(重试已用尽)'), ('permanent', '永久失败')], max_length=20, verbose_name='失败类型')),
                ('last_error', models.CharField(blank=True, max_length=200, verbose_name='最近错误')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                ('provider', models.CharField(blank=True, max_length=20, verbose_name='服务商')),
                ('provider_message_id', models.CharField(blank=True, max_length=100, verbose_name='服务商消息ID')),
                ('pending_provider', models.CharField(blank=True, editable=False, max_length=20)),
                ('pending_since', models.DateTimeField(blank=True, editable=False, null=True)),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='下次尝试时间')),
                ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='过期时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('reference_kind', models.CharField(blank=True, default='', max_length=30, verbose_name='关联对象类型')),
                ('reference_id', models.CharField(blank=True, default='', max_length=64, verbose_name='关联对象编号')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': '短信',
                'verbose_name_plural': '短信',
            },
        ),
        migrations.CreateModel(
            name='DeliveryReceipt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=20, verbose_name='服务商')),
                ('provider_message_id', models.CharField(max_length=100, verbose_name='服务商消息ID')),
                ('idempotency_key', models.CharField(blank=True, max_length=64)),
                ('delivered', models.BooleanField(verbose_name='送达')),
                ('error_code', models.CharField(blank=True, max_length=100, verbose_name='错误码')),
                ('reported_at', models.DateTimeField(blank=True, null=True, verbose_name='运营商报告时间')),
                ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='收到时间')),
                ('outcome', models.CharField(choices=[('applied', '已更新短信状态'), ('pending', '等待匹配(回执早于发送结果)'), ('ignored_final', '已是最终状态,忽略'), ('unknown', '找不到对应短信')], max_length=20, verbose_name='处理结果')),
                ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='receipts', to='notifications.notification')),
            ],
            options={
                'verbose_name': '送达回执',
                'verbose_name_plural': '送达回执',
            },
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['state', 'next_attempt_at'], name='notificatio_state_922bbb_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['state', 'claimed_at'], name='notificatio_state_95743f_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['phone_digest', 'created_at'], name='notificatio_phone_d_1ac66a_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['provider', 'provider_message_id'], name='notificatio_provide_ce1fd8_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['reference_kind', 'reference_id'], name='notificatio_referen_ad7a5b_idx'),
        ),
        migrations.AddIndex(
            model_name='deliveryreceipt',
            index=models.Index(fields=['outcome', 'received_at'], name='notificatio_outcome_baa942_idx'),
        ),
        migrations.AddConstraint(
            model_name='deliveryreceipt',
            constraint=models.UniqueConstraint(fields=('provider', 'provider_message_id', 'delivered'), name='one_receipt_per_status'),
        ),
        migrations.CreateModel(
            name='DailyQuota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=100)),
                ('day', models.DateField()),
                ('used', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': '每日配额',
                'verbose_name_plural': '每日配额',
                'constraints': [models.UniqueConstraint(fields=('subject', 'day'), name='uniq_daily_quota_subject_day')],
            },
        ),
        migrations.RunPython(load_default_templates, migrations.RunPython.noop),
    ]
