"""Reading time entries: who sees what, and totals computed in the database."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from timetracker.access import check_may_access_user, is_admin

from .models import TimeEntry


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


def time_totals(queryset) -> dict:
    """Finished time in seconds: total, billable, billed (on an invoice), and the entry count. One query."""
    totals = queryset.finished().aggregate(
        total=Sum("duration_seconds", default=0),
        billable=Sum("duration_seconds", filter=Q(billable=True), default=0),
        billed=Sum("duration_seconds", filter=~Q(invoice_number=""), default=0),
        entries=Count("id"),
    )
    return totals


def whole_minutes(seconds: int | None) -> int:
    """Seconds as whole minutes, rounded half-up (what the minute-based APIs show)."""
    return ((seconds or 0) + 30) // 60


def seconds_to_hours(seconds: int) -> float:
    """Hours rounded half-up to two decimals (25 minutes → 0.42)."""
    return float((Decimal(seconds or 0) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def search_time_entries(viewer, query: str, limit: int):
    """The viewer's visible entries whose notes or tags contain the query, newest first."""
    tagged = TimeEntry.tags.through.objects.filter(timeentry_id=OuterRef("pk"), tag__name__icontains=query)
    return (
        time_entries_visible_to(viewer)
        .filter(Q(notes__icontains=query) | Exists(tagged))
        .select_related("project")
        .order_by("-start_time", "-id")[:limit]
    )


def time_totals_by_project(queryset):
    """Finished time per project with its client, one row per project, by project name: rows of
    project_id, project_name, client_id, client_name, total, billable (seconds)."""
    return (
        queryset.finished()
        .values("project_id", project_name=F("project__name"), client_id=F("project__client_id"),
                client_name=F("project__client__name"))
        .annotate(
            total=Sum("duration_seconds", default=0),
            billable=Sum("duration_seconds", filter=Q(billable=True), default=0),
        )
        .order_by("project_name", "project_id")
    )


def time_by_project(queryset):
    """Finished time per project, most hours first: rows of project_id, project_name, seconds, entries."""
    return (
        queryset.finished()
        .values("project_id", project_name=F("project__name"))
        .annotate(seconds=Sum("duration_seconds"), entries=Count("id"))
        .order_by("-seconds", "project_id")
    )
