"""Trigram indexes for the ticket search, on PostgreSQL.

The search box matches part of the ticket number, of the summary or (staff) of the
caller's number: Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%word%')`` and
``contains`` is ``col::text LIKE '%word%'``. No B-tree serves a pattern with a leading
wildcard, so a word that fewer than a page of tickets contain read the whole table (3 s
at a million tickets); pg_trgm's GIN indexes on the same expressions answer it from the
index for words of three characters or more. Built concurrently: a live table stays
writable meanwhile. SQLite, the embedded default, keeps scanning its few thousand rows.
"""

from django.db import migrations

INDEXES = {
    "ticket_number_trgm": "(UPPER(external_id::text)) gin_trgm_ops",
    "ticket_summary_trgm": "(UPPER(summary)) gin_trgm_ops",
    "ticket_phone_trgm": "(caller_phone::text) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON tickets_ticket USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("tickets", "0012_fewer_redundant_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
