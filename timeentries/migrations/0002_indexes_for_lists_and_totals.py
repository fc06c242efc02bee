"""Indexes for every filter and sort of the three APIs (docs/performance.md).

The keys lose their single-column indexes: the (key, start_time) indexes serve every lookup by key. They are
dropped by name rather than by AlterField, because AlterField on ``user`` would also drop the partial unique
index ``one_running_timer_per_user`` (an index on user_id, to the schema editor) without creating it again,
and on SQLite would rebuild the table once per field.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FINISHED = models.Q(deleted_at__isnull=True, end_time__isnull=False)
# The names Django gave the keys' indexes in 0001 (a hash of table and column, the same on every database).
KEY_INDEXES = {
    "user": "timeentries_timeentry_user_id_df3ab447",
    "project": "timeentries_timeentry_project_id_17d35e23",
    "task": "timeentries_timeentry_task_id_a3a4d388",
}


def key_field(name):
    related = {
        "user": dict(to=settings.AUTH_USER_MODEL),
        "project": dict(to="projects.project"),
        "task": dict(to="projects.task", null=True, blank=True),
    }[name]
    return models.ForeignKey(
        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="time_entries", **related
    )


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0002_indexes_for_lists_and_totals"),
        ("timeentries", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="timeentry", name=name, field=key_field(name))
                for name in KEY_INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "timeentries_timeentry" ("{name}_id")',
                )
                for name, index in KEY_INDEXES.items()
            ],
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(condition=FINISHED, fields=["start_time", "id"], name="timeentry_finished_start"),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                condition=FINISHED, fields=["user", "start_time", "id"], name="timeentry_finished_user_start"
            ),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                condition=FINISHED, fields=["project", "start_time", "id"], name="timeentry_finished_proj_start"
            ),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(fields=["updated_at"], name="timeentry_updated"),
        ),
    ]
