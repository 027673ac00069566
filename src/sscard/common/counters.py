"""Counters that concurrent requests increment safely: one statement, no read-modify-write.

``INSERT … ON CONFLICT (keys) DO UPDATE SET n = n + 1 [WHERE n < limit] RETURNING n`` is atomic on
PostgreSQL and SQLite >= 3.35: the row lock it takes serialises concurrent callers. It runs in the
caller's transaction, so a rollback undoes the increment too.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def bump(model: type[models.Model], keys: dict[str, Any], field: str, *, below: int | None = None) -> int | None:
    """Add one to ``field`` of the row with ``keys`` (created at 1); the new value, or None when the
    value had already reached ``below`` (nothing changed then)."""
    if below is not None and below <= 0:
        return None
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    key_columns = [qn(model._meta.get_field(name).column) for name in keys]
    column = qn(model._meta.get_field(field).column)
    sql = (
        f"INSERT INTO {table} ({', '.join(key_columns)}, {column}) VALUES ({', '.join(['%s'] * len(keys))}, 1) "
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {column} = {table}.{column} + 1"
    )
    params = list(keys.values())
    if below is not None:
        sql += f" WHERE {table}.{column} < %s"
        params.append(below)
    with connection.cursor() as cursor:
        cursor.execute(sql + f" RETURNING {column}", params)
        row = cursor.fetchone()
    return None if row is None else row[0]
