"""Re-encrypt personal fields with the current key (the first in FIELD_ENCRYPTION_KEYS)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sscard.privacy.fields import EncryptedTextField, keyring


class Command(BaseCommand):
    help = "Rewrite every encrypted field still under an old key with the current key."

    def handle(self, *args, **options):
        ring = keyring()
        quote = connection.ops.quote_name
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            # The ORM decrypts on read, so the key id of each stored value is read with plain SQL.
            columns = ", ".join(quote(f.column) for f in fields)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)}")
                stale = [row[0] for row in cursor.fetchall() if any(v and ring.needs_rotation(v) for v in row[1:])]
            for pk in stale:
                with transaction.atomic():
                    obj = model._default_manager.select_for_update().get(pk=pk)
                    # update() re-encrypts through get_prep_value, with the current key.
                    model._default_manager.filter(pk=pk).update(**{f.attname: getattr(obj, f.attname) for f in fields})
            total += len(stale)
            if stale:
                self.stdout.write(f"{model._meta.label}: {len(stale)} 行已改用当前密钥")
        self.stdout.write(f"完成：共 {total} 行")
