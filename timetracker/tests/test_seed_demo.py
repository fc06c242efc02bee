"""manage.py seed_demo: the demo data keeps every rule the app relies on, and a seed gives the same data."""

import datetime
import io
import zoneinfo
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum

from inventory.models import StockItem, StockLevel, StockMovement
from projects.models import Project
from timeentries.models import Tag, TimeEntry, tag_key
from timetracker.models import SiteSettings

TODAY = "2024-06-14"  # a Friday; pinned so that two runs are comparable
SIZES = ["--entries=2000", "--users=6", "--projects=8"]


def seed(*extra, seed=7):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("seed_demo", *SIZES, f"--seed={seed}", f"--today={TODAY}", *extra, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def seeded(db):
    seed()


def snapshot() -> dict:
    """Everything seed_demo wrote, with users by name (their ids come from the database)."""
    names = dict(get_user_model().objects.values_list("id", "username"))
    tags = defaultdict(list)
    for entry_id, tag in TimeEntry.tags.through.objects.values_list("timeentry_id", "tag__name"):
        tags[entry_id].append(tag)
    entries = [
        (*row[:1], names[row[1]], *row[2:], sorted(tags[row[0]]))
        for row in TimeEntry.all_objects.order_by("id").values_list(
            "id", "user_id", "project_id", "task_id", "start_time", "end_time", "duration_seconds", "has_start_time",
            "notes", "billable", "invoice_number", "ticket_id", "source", "created_at", "updated_at", "deleted_at",
        )
    ]
    return {
        "users": sorted(get_user_model().objects.values_list("username", "first_name", "is_staff", "profile__timezone")),
        "projects": list(Project.objects.order_by("id").values_list("id", "name", "permalink", "status", "client_id")),
        "entries": entries,
        "items": list(StockItem.objects.order_by("id").values_list("sku", "average_cost", "currency_code")),
        "movements": list(StockMovement.objects.order_by("id").values_list(
            "item_id", "warehouse_id", "movement_type", "quantity", "unit_cost", "moved_at", "reference_id")),
        "levels": list(StockLevel.objects.order_by("item_id", "warehouse_id").values_list(
            "item_id", "warehouse_id", "quantity")),
    }


def test_it_writes_the_requested_sizes_and_reports_them(db):
    out, err = seed()
    assert TimeEntry.all_objects.count() == 2000
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 6
    assert Project.objects.count() == 8
    assert "Seeded 2,000 time entries" in out
    assert "time entries" in err  # the progress bar


def test_durations_are_end_minus_start(seeded):
    for entry in TimeEntry.all_objects.all():
        if entry.end_time is None:
            assert entry.duration_seconds is None
        else:
            assert entry.end_time > entry.start_time
            assert entry.duration_seconds == int((entry.end_time - entry.start_time).total_seconds())


def test_some_users_have_one_running_timer_and_none_more(seeded):
    running = TimeEntry.all_objects.filter(end_time__isnull=True)
    assert running.exists()
    assert not running.filter(deleted_at__isnull=False).exists()
    per_user = running.values("user_id").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in per_user)
    now = datetime.datetime.fromisoformat(f"{TODAY}T12:00:00+00:00")
    assert all(now - datetime.timedelta(hours=5) < entry.start_time <= now for entry in running)


def test_tasks_belong_to_the_entrys_project(seeded):
    with_task = TimeEntry.all_objects.filter(task__isnull=False).select_related("task")
    assert with_task.exists()
    assert all(entry.task.project_id == entry.project_id for entry in with_task)


def test_tag_keys_are_casefolded_names_and_many_entries_carry_tags(seeded):
    assert all(tag.key == tag_key(tag.name) for tag in Tag.objects.all())
    assert Tag.objects.filter(name="Überstunden", key="überstunden").exists()
    tagged = TimeEntry.all_objects.filter(tags__isnull=False).distinct().count()
    assert 0.3 * 2000 < tagged < 0.8 * 2000


def test_entries_spread_over_five_years_of_working_days_in_local_time(seeded):
    today = datetime.date.fromisoformat(TODAY)
    finished = TimeEntry.all_objects.filter(end_time__isnull=False).select_related("user__profile")
    local_days = set()
    for entry in finished:
        start = entry.start_time.astimezone(zoneinfo.ZoneInfo(entry.user.profile.timezone))
        assert start.weekday() < 5
        if entry.has_start_time:
            assert 8 <= start.hour < 18
        else:  # a Codebase session: local midnight
            assert start.time() == datetime.time()
        local_days.add(start.date())
    assert min(local_days) < today.replace(year=today.year - 4)
    assert today.replace(year=today.year - 5) <= min(local_days) and max(local_days) < today


def test_billable_invoiced_deleted_and_project_states_are_mixed(seeded):
    entries = TimeEntry.all_objects
    assert entries.filter(billable=True).exists() and entries.filter(billable=False).exists()
    assert entries.exclude(invoice_number="").exists() and entries.filter(billable=True, invoice_number="").exists()
    assert 0 < entries.filter(deleted_at__isnull=False).count() < 100
    assert set(Project.objects.values_list("status", flat=True)) >= {"active", "archived"}
    assert len(set(get_user_model().objects.values_list("profile__timezone", flat=True))) > 3


def test_inventory_is_enabled_and_stock_levels_are_the_sum_of_movements(seeded):
    assert SiteSettings.load().inventory_enabled
    sums = {
        (row["item_id"], row["warehouse_id"]): row["total"]
        for row in StockMovement.objects.values("item_id", "warehouse_id").annotate(total=Sum("quantity"))
    }
    levels = {(level.item_id, level.warehouse_id): level.quantity for level in StockLevel.objects.all()}
    assert levels == sums
    assert all(quantity >= 0 for quantity in levels.values())
    assert StockMovement.objects.filter(movement_type="sale").exists()


def test_stock_never_went_negative_and_transfers_come_in_pairs(seeded):
    running = defaultdict(Decimal)
    for movement in StockMovement.objects.order_by("moved_at", "id"):
        running[(movement.item_id, movement.warehouse_id)] += movement.quantity
        assert running[(movement.item_id, movement.warehouse_id)] >= 0
    halves = StockMovement.objects.exclude(reference_id="").values("reference_id").annotate(n=Count("id"))
    assert halves and all(row["n"] == 2 for row in halves)


def test_the_same_seed_gives_the_same_data(db):
    seed()
    first = snapshot()
    seed("--reset")
    assert snapshot() == first
    seed("--reset", seed=8)
    assert snapshot()["entries"] != first["entries"]


def test_it_refuses_a_database_with_data_unless_reset(db):
    seed()
    with pytest.raises(CommandError, match="--reset"):
        seed()


def test_reset_keeps_users_it_did_not_create(db, make_user):
    admin = make_user("admin", is_staff=True)
    seed()
    seed("--reset")
    assert get_user_model().objects.filter(pk=admin.pk).exists()
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 6


def test_today_in_the_future_is_refused(db):
    with pytest.raises(CommandError, match="future"):
        call_command("seed_demo", "--today=2999-01-01", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and deferred indexes are PostgreSQL's")
def test_large_loads_put_every_index_and_foreign_key_back(db, monkeypatch):
    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'timeentries_timeentry%' "
                "ORDER BY indexname"
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid::regclass::text LIKE 'timeentries_timeentry%' ORDER BY conname"
            )
            return indexes, cursor.fetchall()

    before = schema()
    monkeypatch.setattr("timetracker.management.commands.seed_demo.DEFER_INDEXES_ABOVE", 100)
    seed()
    assert schema() == before
    assert TimeEntry.all_objects.count() == 2000
