"""Teamwork's JSON: hyphenated keys, string values, ``STATUS`` envelopes; and reading its request bodies."""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal

from timetracker.api.compat import UnprocessableEntity
from timetracker.api.parsers import contains_nul
from timetracker.dates import MAX_YEAR, MIN_YEAR, check_supported

from ...selectors import whole_minutes

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _utc(instant: datetime.datetime) -> str:
    return instant.astimezone(datetime.timezone.utc).strftime(UTC_FORMAT)


def id_or_empty(value) -> str:
    """An id as Teamwork writes it: a string, empty when there is none."""
    return "" if value is None else str(value)


def _hours(minutes: int) -> str:
    """Minutes as hours with two decimals, rounded half-up: 25 → "0.42"."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def project_status(project) -> str:
    # Teamwork knows active and archived projects; ours on hold are still active ones.
    return "archived" if project.is_archived else "active"


def render_entry(entry, *, viewer_tz) -> dict:
    """One time entry as Teamwork renders it (``select_related`` project__client, user, task__tasklist;
    ``prefetch_related`` tags)."""
    project, client, task, person = entry.project, entry.project.client, entry.task, entry.user
    tasklist = task.tasklist if task else None
    minutes = whole_minutes(entry.duration_seconds)
    local_start = entry.start_time.astimezone(viewer_tz).replace(tzinfo=None)
    return {
        "id": str(entry.pk),
        "project-id": str(project.pk),
        "project-name": project.name,
        "project-status": project_status(project),
        "company-id": id_or_empty(client and client.pk),
        "company-name": client.name if client else "",
        "person-id": str(person.pk),
        "person-first-name": person.first_name,
        "person-last-name": person.last_name,
        "description": entry.notes,
        "date": _utc(entry.start_time),
        "dateUserPerspective": local_start.strftime(UTC_FORMAT),
        "has-start-time": "1" if entry.has_start_time else "0",
        "hours": str(minutes // 60),
        "minutes": str(minutes % 60),
        "hoursDecimal": float(_hours(minutes)),
        "isbillable": "1" if entry.billable else "0",
        "isbilled": "1" if entry.invoice_number else "0",
        "invoiceNo": entry.invoice_number,
        "todo-item-id": id_or_empty(task and task.pk),
        "todo-item-name": task.name if task else "",
        "todo-list-id": id_or_empty(tasklist and tasklist.pk),
        "todo-list-name": tasklist.name if tasklist else "",
        "ticket-id": id_or_empty(entry.ticket_id),
        "tags": [{"id": str(tag.pk), "name": tag.name, "color": tag.color} for tag in entry.tags.all()],
        "canEdit": entry.deleted_at is None,
        "createdAt": _utc(entry.created_at),
        "updated-date": _utc(entry.updated_at),
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
