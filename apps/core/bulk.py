"""Writing thousands of rows in one statement.

``bulk_create`` and ``bulk_update`` prepare and adapt every value one by one, which is
most of their time at this scale on PostgreSQL; these helpers send each column as one
array literal instead (``unnest``). Elsewhere they fall back to the ORM.
"""

import functools
import json

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def array_literal(values) -> str:
    """A PostgreSQL array literal of numbers, moments or text (None: NULL)."""
    return (
        "{"
        + ",".join(
            "NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        )
        + "}"
    )


def insert_rows(model, rows, *, ignore_conflicts=False) -> list[int]:
    """Insert rows given as {attname: value} with every column but the id; returns the
    new ids in the order of the rows (without ``ignore_conflicts``).

    On PostgreSQL one ``INSERT ... SELECT FROM unnest(...) RETURNING id`` of array
    literals, like ``bulk_create``'s own UNNEST but without preparing and adapting every
    value one by one (most of its time on thousands of rows); elsewhere ``bulk_create``.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create(
            [model(**row) for row in rows], ignore_conflicts=ignore_conflicts, batch_size=1000
        )
        return [obj.pk for obj in created]
    fields, db_types = _columns(model)
    names = list(rows[0])
    arrays, casts = [], []
    for name in names:
        db_type = db_types[name]
        values = [row[name] for row in rows]
        if db_type == "jsonb":
            values = [json.dumps(v) for v in values]
        elif db_type == "timestamp with time zone":
            values = [v.isoformat() if v else None for v in values]
        arrays.append(array_literal(values))
        casts.append(f"%s::{db_type}[]")
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(fields[n].column) for n in names)}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
        + f" RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return [row[0] for row in cursor.fetchall()]


@functools.cache
def _columns(model):
    """{attname: field} and {attname: PostgreSQL type without its length}, once per model."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return fields, {n: f.db_type(connection).split("(")[0] for n, f in fields.items()}


def update_column(model, name, values: dict) -> None:
    """Store one column of many rows, given as {pk: value}: on PostgreSQL one UPDATE
    joined to two arrays (bulk_update's CASE over thousands of ids takes seconds to
    build and to run)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(
            [model(pk=pk, **{name: value}) for pk, value in values.items()], [name], batch_size=1000
        )
        return
    field = model._meta.get_field(name)
    db_type = field.db_type(connection).split("(")[0]
    column = values.values()
    if db_type == "timestamp with time zone":
        column = (v.isoformat() if v else None for v in column)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t SET {quote(field.column)} = v.value "
            f"FROM unnest(%s::bigint[], %s::{db_type}[]) AS v(id, value) WHERE t.id = v.id",
            [array_literal(values), array_literal(column)],
        )


def with_ids(queryset, ids, *, field: str = "pk"):
    """``queryset.filter(<field>__in=ids)``, with the ids as one array parameter on
    PostgreSQL (``= ANY(%s)``): a thousand placeholders cost more to build and bind than
    the rows they pick."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": ids})
    meta = queryset.model._meta
    column = meta.pk.column if field == "pk" else meta.get_field(field).column
    quote = connection.ops.quote_name
    return queryset.filter(
        RawSQL(
            f"{quote(meta.db_table)}.{quote(column)} = ANY(%s)",
            (list(ids),),
            output_field=BooleanField(),
        )
    )
