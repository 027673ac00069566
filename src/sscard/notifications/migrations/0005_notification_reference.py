from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_notification_pending_since'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='reference_kind',
            field=models.CharField(blank=True, default='', max_length=30, verbose_name='关联对象类型'),
        ),
        migrations.AddField(
            model_name='notification',
            name='reference_id',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='关联对象编号'),
        ),
    ]
