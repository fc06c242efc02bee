"""Reading time entries: who sees what, and totals computed in the database."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.models import Project
from timetracker.access import check_may_access_user, is_admin

from .models import Tag, TimeEntry

# Search looks at this much of the recent past first, newest first, and further back only if that finds too few.
SEARCH_RECENT_WINDOW = datetime.timedelta(days=30)


def time_entries_visible_to(viewer, *, include_deleted=False, user_id=None):
    """Every entry for an admin, the viewer's own for everyone else; ``user_id`` narrows to one user,
    which for a non-admin must be themselves (Forbidden otherwise)."""
    check_may_access_user(viewer, user_id)
    manager = TimeEntry.all_objects if include_deleted else TimeEntry.objects
    queryset = manager.all()
    if not is_admin(viewer):
        queryset = queryset.filter(user=viewer)
    if user_id is not None:
        queryset = queryset.filter(user_id=user_id)
    return queryset


def running_timer(user) -> TimeEntry | None:
    return TimeEntry.objects.running().filter(user=user).first()


def tags_by_entry(entry_ids, *fields) -> dict[int, list[tuple]]:
    """The ``fields`` of each entry's tags (e.g. "tag__name"), by name, in one query of plain tuples: for a
    page of entries a third of the cost of prefetching the tags as model instances."""
    tags = {entry_id: [] for entry_id in entry_ids}
    if tags:
        rows = (
            TimeEntry.tags.through.objects.filter(timeentry_id__in=tags)
            .order_by("tag__name", "tag_id")
            .values_list("timeentry_id", *fields)
        )
        for entry_id, *values in rows:
            tags[entry_id].append(tuple(values))
    return tags


def with_tag_names(entries: list[TimeEntry]) -> list[TimeEntry]:
    """Give each entry ``tag_names``, its tags' names in order."""
    tags = tags_by_entry([entry.pk for entry in entries], "tag__name")
    for entry in entries:
        entry.tag_names = [name for (name,) in tags[entry.pk]]
    return entries


TOTALS = ("total", "billable", "billed", "entries")


def _totals_aggregates() -> dict:
    """time_totals' figures as aggregates, for the whole queryset or per group."""
    return {
        "total": Sum("duration_seconds", default=0),
        "billable": Sum("duration_seconds", filter=Q(billable=True), default=0),
        "billed": Sum("duration_seconds", filter=~Q(invoice_number=""), default=0),
        "entries": Count("id"),
    }


def time_totals(queryset) -> dict:
    """Finished time in seconds: total, billable, billed (on an invoice), and the entry count. One query."""
    return queryset.finished().aggregate(**_totals_aggregates())


def whole_minutes(seconds: int | None) -> int:
    """Seconds as whole minutes, rounded half-up (what the minute-based APIs show)."""
    return ((seconds or 0) + 30) // 60


def seconds_to_hours(seconds: int) -> float:
    """Hours rounded half-up to two decimals (25 minutes → 0.42)."""
    return float((Decimal(seconds or 0) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def search_time_entries(viewer, query: str, limit: int) -> list[TimeEntry]:
    """The viewer's visible entries whose notes or tags contain the query, newest first. Two to four queries."""
    # As one query (`notes match OR EXISTS(a tag matches)`) PostgreSQL can use neither the trigram index on the
    # notes nor, when little matches, the order of start_time: with no match it reads every entry
    # (docs/performance.md). So the tag half and the notes half are each asked in a form with a good plan, and
    # the results merged here.
    visible = time_entries_visible_to(viewer).select_related("project")
    found = []
    tag_ids = list(Tag.objects.filter(name__icontains=query).values_list("id", flat=True))  # a small table
    if tag_ids:
        tag_links = TimeEntry.tags.through.objects.filter(tag_id__in=tag_ids).values("timeentry_id")
        found += visible.filter(pk__in=tag_links).order_by("-start_time", "-id")[:limit]
    # Once `limit` tagged entries are found, nothing older than the last of them can make the cut.
    floor = found[-1].start_time if len(found) == limit else None
    recent_start = timezone.now() - SEARCH_RECENT_WINDOW
    # Recent entries: walk start_time newest first and stop at `limit`; the window bounds the walk when little
    # or nothing matches. The notes test sits inside CASE so that PostgreSQL can't take the trigram index
    # instead, as it would on a guess for longer words: that reads every match in all of history before
    # sorting (17-31 ms for a common word at a million entries, against under 1 ms walked).
    in_notes = Case(When(notes__icontains=query, then=Value(True)), default=Value(False))
    recent = visible.alias(in_notes=in_notes).filter(
        in_notes=True, start_time__gte=recent_start if floor is None else max(recent_start, floor))
    found += recent.order_by("-start_time", "-id")[:limit]
    if len({entry.pk for entry in found if entry.start_time >= recent_start}) < limit:
        older = visible.filter(notes__icontains=query, start_time__lt=recent_start)
        if floor is not None:
            older = older.filter(start_time__gte=floor)
        # Ordering by an expression the start_time index can't supply makes PostgreSQL find the matches first
        # (trigram index) and sort those few, instead of walking every older entry by date and testing each.
        # A query of two characters has no trigram, so it is a (parallel) full scan here.
        found += older.order_by(Coalesce("start_time", "start_time").desc(), "-id")[:limit]
    unique = {entry.pk: entry for entry in found}.values()
    return sorted(unique, key=lambda entry: (entry.start_time, entry.pk), reverse=True)[:limit]


def time_totals_by_project(queryset) -> list[dict]:
    """time_totals of each project with finished time in ``queryset``, by project name (then id): rows of
    project_id, project_name, client_id, client_name, total, billable, billed (seconds), entries.
    Two queries whatever the number of entries (one when no project has time)."""
    # Grouped by project_id alone, with no join: grouped by the joined names as well, PostgreSQL expected a
    # group per entry and sorted every entry (docs/performance.md). The names of these few projects come next.
    sums = {
        row.pop("project_id"): row
        for row in queryset.finished().order_by().values("project_id").annotate(**_totals_aggregates())
    }
    if not sums:
        return []
    # Sorted by the database, not Python, so the order follows the column's collation as it always has.
    projects = (
        Project.objects.filter(pk__in=list(sums)).order_by("name", "pk")
        .values_list("pk", "name", "client_id", "client__name")
    )
    return [
        {"project_id": pk, "project_name": name, "client_id": client_id, "client_name": client_name, **sums[pk]}
        for pk, name, client_id, client_name in projects
    ]


def sum_totals(rows) -> dict:
    """time_totals over the entries behind these time_totals_by_project rows, summed here rather than read
    from the entries a second time."""
    return {key: sum(row[key] for row in rows) for key in TOTALS}
