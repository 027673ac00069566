"""Load the shipped SMS texts into the template table (an administrator edits them from there)."""

from django.db import migrations

from sscard.notifications.constants import TEMPLATE_SPECS
from sscard.notifications.templates_text import DEFAULT_TEMPLATES


def load(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for code, body in DEFAULT_TEMPLATES.items():
        SmsTemplate.objects.get_or_create(code=code, defaults={"body": body, "urgent": TEMPLATE_SPECS[code].urgent})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
