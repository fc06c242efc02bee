"""``manage.py seed_demo``: fill the database with a realistic demo data set, fast (see README, "Benchmark")."""

import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from inventory.models import StockItem, StockLevel, StockMovement, Warehouse
from projects.models import Client, Project, Task, Tasklist
from timeentries.models import Tag, TimeEntry
from timeentries.signals import time_entries_changed
from timetracker import demo_data
from timetracker.bulk_load import (
    DEFER_INDEXES_ABOVE, Progress, Writer, check_deferred_constraints, indexes_deferred, is_postgresql, reset_sequences,
)
from timetracker.models import SiteSettings, UserProfile

EntryTag = TimeEntry.tags.through
# Wiped by --reset, children first (the order matters where the database deletes row by row).
SEEDED_MODELS = [EntryTag, TimeEntry, Tag, Task, Tasklist, Project, Client, StockMovement, StockLevel, StockItem,
                 Warehouse]


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError
    return number


def non_negative(value):
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data: clients, projects, tasks, tags, users and time entries spread "
        "over five years of working days, and an inventory. Deterministic for a --seed (and --today)."
    )

    def add_arguments(self, parser):
        defaults = demo_data.Sizes()
        parser.add_argument("--entries", type=non_negative, default=defaults.entries,
                            help=f"Time entries (default {defaults.entries:,}).")
        parser.add_argument("--users", type=positive, default=defaults.users, help=f"Users (default {defaults.users}).")
        parser.add_argument("--projects", type=positive, default=defaults.projects,
                            help=f"Projects (default {defaults.projects}).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--today", type=datetime.date.fromisoformat,
                            help="Pretend today is this date (YYYY-MM-DD, not in the future); default: today (UTC).")
        parser.add_argument("--reset", action="store_true",
                            help="First wipe all time entries, tags, tasks, projects, clients, inventory and demo "
                                 "users (and what refers to them).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")

    def handle(self, *, entries, users, projects, seed, today, reset, no_progress, **options):
        real_now = timezone.now().replace(microsecond=0)
        if today is not None and today > real_now.date():
            raise CommandError("--today must not be in the future.")
        now = real_now if today in (None, real_now.date()) else datetime.datetime.combine(
            today, datetime.time(12), tzinfo=datetime.timezone.utc)
        data = demo_data.DemoData(sizes=demo_data.Sizes(entries=entries, users=users, projects=projects), seed=seed,
                                  today=now.date(), now=now)
        verbosity = options.get("verbosity", 1)
        show = not no_progress and verbosity > 0
        progress = lambda label, total: Progress(label, total, stream=self.stderr._out, enabled=show)  # noqa: E731

        started = time.monotonic()
        with transaction.atomic():
            if reset:
                wipe()
            elif has_data():
                raise CommandError(
                    "The database already holds time, project or inventory data (or demo users). "
                    "seed_demo fills an empty one; --reset wipes that data first."
                )
            counts = seed_database(data, Writer(progress), progress)
            time_entries_changed()  # rows went in by COPY, past the signals
        loaded = time.monotonic() - started
        analyze(vacuum=not connection.in_atomic_block)
        total = time.monotonic() - started
        if verbosity > 0:
            self.stdout.write(
                f"Seeded {counts['entries']:,} time entries ({counts['running']} running, {counts['deleted']:,} "
                f"deleted, {counts['entry_tags']:,} tags on them), {users} users, {projects} projects, "
                f"{counts['tasks']:,} tasks, {counts['items']} stock items with {counts['movements']:,} movements "
                f"in {total:.1f} s ({loaded:.1f} s loading, {total - loaded:.1f} s {'VACUUM ' if is_postgresql() else ''}"
                f"ANALYZE)."
            )


def has_data() -> bool:
    if get_user_model().objects.filter(username__startswith=demo_data.DEMO_USERNAME_PREFIX).exists():
        return True
    return any(
        (model.all_objects if model is TimeEntry else model._default_manager).exists() for model in SEEDED_MODELS
    )


def wipe():
    """Remove what seed_demo creates: on PostgreSQL at once (TRUNCATE, also emptying any table that refers
    to these), elsewhere row by row."""
    if is_postgresql():
        check_deferred_constraints()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(quote(m._meta.db_table) for m in SEEDED_MODELS)} CASCADE")
    else:
        for model in SEEDED_MODELS:
            (model.all_objects if model is TimeEntry else model._default_manager).all().delete()
    get_user_model().objects.filter(username__startswith=demo_data.DEMO_USERNAME_PREFIX).delete()


def seed_database(data: demo_data.DemoData, writer: Writer, progress) -> dict:
    User = get_user_model()
    data.make_users()
    created = User.objects.bulk_create(
        User(**dict(zip(demo_data.USER_FIELDS, row))) for row in data.user_rows()
    )
    for user, row in zip(data.users, created):
        user.id = row.pk
    # bulk_create sends no post_save, so the profiles (timezones) are made here.
    UserProfile.objects.bulk_create(UserProfile(user_id=user.id, timezone=user.timezone) for user in data.users)

    sizes = data.sizes
    writer.insert(Client, demo_data.CLIENT_FIELDS, data.client_rows(), total=sizes.clients)
    writer.insert(Project, demo_data.PROJECT_FIELDS, data.project_rows(), total=sizes.projects)
    writer.insert(Tasklist, demo_data.TASKLIST_FIELDS, data.tasklist_rows())
    tasks = writer.insert(Task, demo_data.TASK_FIELDS, data.task_rows())
    writer.insert(Tag, demo_data.TAG_FIELDS, data.tag_rows(), total=len(demo_data.TAGS))

    entry_tags = []
    entry_models = [TimeEntry, EntryTag] if sizes.entries > DEFER_INDEXES_ABOVE else []
    with indexes_deferred(entry_models, progress=progress):
        entries = writer.insert(TimeEntry, demo_data.ENTRY_FIELDS, data.entry_rows(entry_tags), total=sizes.entries,
                                label="time entries")
        writer.insert(EntryTag, demo_data.ENTRY_TAG_FIELDS, entry_tags, total=len(entry_tags), label="tags on entries")

    settings = SiteSettings.load()
    settings.inventory_enabled = True
    settings.save()
    writer.insert(Warehouse, demo_data.WAREHOUSE_FIELDS, data.warehouse_rows())
    items, movements, levels = data.inventory(settings.default_currency)
    writer.insert(StockItem, demo_data.ITEM_FIELDS, items, total=len(items), label="stock items")
    writer.insert(StockMovement, demo_data.MOVEMENT_FIELDS, movements, total=len(movements), label="stock movements")
    writer.insert(StockLevel, demo_data.LEVEL_FIELDS, levels, total=len(levels), label="stock levels")
    reset_sequences([Client, Project, Tasklist, Task, Tag, TimeEntry, EntryTag, Warehouse, StockItem, StockMovement,
                     StockLevel])

    counts = TimeEntry.all_objects.aggregate(
        deleted=Count("id", filter=Q(deleted_at__isnull=False)), running=Count("id", filter=Q(end_time__isnull=True)),
    )
    return {"entries": entries, "entry_tags": len(entry_tags), "tasks": tasks, "items": len(items),
            "movements": len(movements), **counts}


def analyze(*, vacuum: bool):
    """Fresh planner statistics; on PostgreSQL outside a transaction also VACUUM, which sets the visibility
    map that index-only scans (the counts of the list endpoints) depend on."""
    tables = [model._meta.db_table for model in [*SEEDED_MODELS, get_user_model(), UserProfile]]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if is_postgresql():
            command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
            cursor.execute(f"{command} {', '.join(quote(table) for table in tables)}")
        else:
            cursor.execute("ANALYZE")
