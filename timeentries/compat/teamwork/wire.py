"""Teamwork's JSON: hyphenated keys, string values, ``STATUS`` envelopes; and reading its request bodies."""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from projects.models import Project
from timetracker.api.compat import UnprocessableEntity
from timetracker.api.parsers import contains_nul
from timetracker.dates import MAX_YEAR, MIN_YEAR, UTC_FORMAT, check_supported, utc_text

from ...selectors import tags_by_entry, whole_minutes


def id_or_empty(value) -> str:
    """An id as Teamwork writes it: a string, empty when there is none."""
    return "" if value is None else str(value)


def _hours(minutes: int) -> str:
    """Minutes as hours with two decimals, rounded half-up: 25 → "0.42"."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# What render_entry reads, fetched with values(): a page of 500 entries builds no model instances.
ENTRY_COLUMNS = (
    "id", "project_id", "user_id", "task_id", "notes", "start_time", "has_start_time", "duration_seconds",
    "billable", "invoice_number", "ticket_id", "deleted_at", "created_at", "updated_at",
)
ENTRY_RELATED = {
    "project_name": F("project__name"), "project_status": F("project__status"),
    "client_id": F("project__client_id"), "client_name": F("project__client__name"),
    "person_first_name": F("user__first_name"), "person_last_name": F("user__last_name"),
    "task_name": F("task__name"), "tasklist_id": F("task__tasklist_id"), "tasklist_name": F("task__tasklist__name"),
}


def entry_values(entries):
    """The entries as rows of what render_entry reads; ``with_tags`` completes them."""
    return entries.values(*ENTRY_COLUMNS, **ENTRY_RELATED)


def with_tags(rows: list[dict]) -> list[dict]:
    tags = tags_by_entry([row["id"] for row in rows], "tag_id", "tag__name", "tag__color")
    for row in rows:
        row["tags"] = tags[row["id"]]
    return rows


def render_entry(row: dict, *, viewer_tz) -> dict:
    """One time entry as Teamwork renders it, from a row of entry_values with_tags."""
    minutes = whole_minutes(row["duration_seconds"])
    start = row["start_time"]
    local_start = start.astimezone(viewer_tz).replace(tzinfo=None)
    has_task = row["task_id"] is not None
    return {
        "id": str(row["id"]),
        "project-id": str(row["project_id"]),
        "project-name": row["project_name"],
        # Teamwork knows active and archived projects; ours on hold are still active ones.
        "project-status": "archived" if row["project_status"] == Project.Status.ARCHIVED else "active",
        "company-id": id_or_empty(row["client_id"]),
        "company-name": row["client_name"] or "",
        "person-id": str(row["user_id"]),
        "person-first-name": row["person_first_name"],
        "person-last-name": row["person_last_name"],
        "description": row["notes"],
        "date": utc_text(start),
        "dateUserPerspective": local_start.strftime(UTC_FORMAT),
        "has-start-time": "1" if row["has_start_time"] else "0",
        "hours": str(minutes // 60),
        "minutes": str(minutes % 60),
        "hoursDecimal": float(_hours(minutes)),
        "isbillable": "1" if row["billable"] else "0",
        "isbilled": "1" if row["invoice_number"] else "0",
        "invoiceNo": row["invoice_number"],
        "todo-item-id": id_or_empty(row["task_id"]),
        "todo-item-name": row["task_name"] if has_task else "",
        "todo-list-id": id_or_empty(row["tasklist_id"]),
        "todo-list-name": row["tasklist_name"] or "",
        "ticket-id": id_or_empty(row["ticket_id"]),
        "tags": [{"id": str(tag_id), "name": name, "color": color} for tag_id, name, color in row["tags"]],
        "canEdit": row["deleted_at"] is None,
        "createdAt": utc_text(row["created_at"]),
        "updated-date": utc_text(row["updated_at"]),
    }


def render_time_totals(totals: dict) -> dict:
    """``time-totals`` from selectors.time_totals (seconds): minutes as integer strings, hours with 2 decimals."""
    total, billable, billed = (whole_minutes(totals[key]) for key in ("total", "billable", "billed"))
    minutes = {
        "total": total, "billable": billable, "non-billable": total - billable,
        "billed": billed, "non-billed": total - billed,
    }
    rendered = {}
    for name, value in minutes.items():
        rendered[f"{name}-mins-sum"] = str(value)
        rendered[f"{name}-hours-sum"] = _hours(value)
    return rendered


def render_time_estimates(estimates: dict) -> dict:
    """``time-estimates`` from projects.selectors.task_estimates (minutes)."""
    rendered = {}
    for name in ("total", "active", "completed"):
        rendered[f"{name}-mins-estimated"] = str(estimates[name])
        rendered[f"{name}-hours-estimated"] = _hours(estimates[name])
    return rendered


def render_company(project) -> dict:
    client = project.client
    return {"id": id_or_empty(client and client.pk), "name": client.name if client else ""}


def render_project_total_row(row: dict) -> dict:
    """One row of ``/projects/time/total.json`` from selectors.time_totals_by_project."""
    total, billable = whole_minutes(row["total"]), whole_minutes(row["billable"])
    return {
        "id": str(row["project_id"]),
        "name": row["project_name"],
        "company": {"id": id_or_empty(row["client_id"]), "name": row["client_name"] or ""},
        "totalMins": str(total),
        "totalBillableMins": str(billable),
        "totalNonBillableMins": str(total - billable),
        "totalHours": _hours(total),
        "totalBillableHours": _hours(billable),
        "totalNonBillableHours": _hours(total - billable),
    }


# Reading request bodies


def read_time_entry(body: bytes) -> dict:
    """The ``time-entry`` object of a request body; 422 if the body is unreadable or the wrapper missing."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise UnprocessableEntity("Could not read the submitted JSON.") from None
    if contains_nul(data):
        raise UnprocessableEntity("JSON strings must not contain NUL characters.")
    entry = data.get("time-entry") if isinstance(data, dict) else None
    if not isinstance(entry, dict):
        raise UnprocessableEntity("The request body must be a 'time-entry' object.")
    return entry


def as_int(value, name) -> int:
    """A whole number sent as a number or a string ("15", 15)."""
    if isinstance(value, bool):
        raise UnprocessableEntity(f"'{name}' must be a whole number.")
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise UnprocessableEntity(f"'{name}' must be a whole number.") from None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise UnprocessableEntity(f"'{name}' must be a whole number of at least 0.")
    return int(number)


def as_bool(value, name) -> bool:
    """``"1"``/``"0"``, ``true``/``false``, ``1``/``0``."""
    text = str(value).strip().lower()
    if text in {"1", "true", "yes"}:
        return True
    if text in {"0", "false", "no"}:
        return False
    raise UnprocessableEntity(f"'{name}' must be 1/0 or true/false.")


def as_date(value, name) -> datetime.date:
    try:
        return check_supported(datetime.datetime.strptime(str(value).strip(), "%Y%m%d").date())
    except ValueError:
        raise UnprocessableEntity(f"'{name}' must be a date as YYYYMMDD (years {MIN_YEAR}-{MAX_YEAR}).") from None


def as_time(value, name) -> datetime.time:
    try:
        return datetime.datetime.strptime(str(value).strip(), "%H:%M").time()
    except ValueError:
        raise UnprocessableEntity(f"'{name}' must be a time as HH:MM.") from None
