"""Carry each message's application/card foreign key into its reference before the columns are dropped (0007).

A card notice carried both keys; it refers to the card (the card still knows its application). Done in SQL-sized
batches with ``update()``, never row by row: the outbox may hold millions of rows.
"""

from django.db import migrations
from django.db.models import CharField
from django.db.models.functions import Cast


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(card__isnull=False).update(
        reference_kind="card", reference_id=Cast("card_id", output_field=CharField())
    )
    Notification.objects.filter(card__isnull=True, application__isnull=False).update(
        reference_kind="application", reference_id=Cast("application_id", output_field=CharField())
    )


def backwards(apps, schema_editor):
    # Only the reference's own key comes back (a card notice's application key is the card's application).
    Notification = apps.get_model("notifications", "Notification")
    for kind, column in (("application", "application_id"), ("card", "card_id")):
        for pk, ref in Notification.objects.filter(reference_kind=kind).values_list("pk", "reference_id").iterator():
            Notification.objects.filter(pk=pk).update(**{column: int(ref)})


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0005_notification_reference'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
