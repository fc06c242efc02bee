"""Trigram indexes for search, on PostgreSQL only (elsewhere this migration does nothing); see
timeentries/migrations/0003_search_trigram_indexes.py for why they index ``UPPER(col::text)``."""

from django.db import migrations

INDEXES = {
    # name: (table, column)
    "project_name_trgm": ("projects_project", "name"),
    "project_description_trgm": ("projects_project", "description"),
    "task_name_trgm": ("projects_task", "name"),
    "task_description_trgm": ("projects_task", "description"),
    "client_name_trgm": ("projects_client", "name"),
    "client_email_trgm": ("projects_client", "email"),
    "client_company_trgm": ("projects_client", "company"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [("projects", "0002_indexes_for_lists_and_totals")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
