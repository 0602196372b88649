"""Claiming work with one conditional UPDATE, so that concurrent workers never share it.

``claim`` picks up to ``limit`` rows matching a condition, changes them so that they no
longer match, and returns their ids: all in one statement. On PostgreSQL rows another
transaction holds are skipped (``SKIP LOCKED``); SQLite runs one writer at a time.
"""

from django.db import connection


def claim(
    model, *, where: str, params: list, set_: str, set_params: list, order_by: str, limit: int
) -> list[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = (
        f"UPDATE {table} SET {set_} WHERE id IN ("
        f"SELECT id FROM {table} WHERE {where} ORDER BY {order_by} LIMIT %s{lock}"
        f") RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, *params, limit])
        return [row[0] for row in cursor.fetchall()]
