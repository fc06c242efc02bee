"""Trigram indexes for search, on PostgreSQL only (elsewhere this migration does nothing).

Search matches with ``icontains``, which Django writes as ``UPPER(col::text) LIKE UPPER('%q%')`` on
PostgreSQL; a GIN index with ``gin_trgm_ops`` on that same expression answers it for queries of three
characters or more. ``pg_trgm`` ships with PostgreSQL and is a trusted extension (PostgreSQL 13+), so the
database owner may create it.
"""

from django.db import migrations

INDEXES = {
    # name: (table, column, partial condition)
    "timeentry_notes_trgm": ("timeentries_timeentry", "notes", "deleted_at IS NULL"),  # search sees alive entries
    "tag_name_trgm": ("timeentries_tag", "name", None),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column, condition) in INDEXES.items():
        where = f" WHERE {condition}" if condition else ""
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops){where}'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [("timeentries", "0002_indexes_for_lists_and_totals")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
