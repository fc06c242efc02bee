"""Reports over time entries, aggregated in the database."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from timeentries.selectors import sum_totals, time_entries_visible_to, time_totals_by_project
from timetracker.dates import end_bound, local_day_start, start_bound
from timetracker.models import user_timezone

DEFAULT_REPORT_DAYS = 30


@dataclass(frozen=True)
class Period:
    start: datetime.datetime  # inclusive
    end: datetime.datetime  # exclusive


def report_period(viewer, start_value=None, end_value=None) -> Period:
    """The period a report covers: dates in the viewer's timezone, whole days for dates; by default the
    last 30 days including today."""
    tz = user_timezone(viewer)
    today = datetime.datetime.now(tz).date()
    start = start_bound(start_value, tz) if start_value else local_day_start(
        today - datetime.timedelta(days=DEFAULT_REPORT_DAYS - 1), tz
    )
    end = end_bound(end_value or today, tz)
    if end <= start:
        raise ValidationError({"end_date": ["end_date must not be before start_date."]})
    return Period(start, end)


def time_summary(*, viewer, period: Period, project_id=None, user_id=None) -> dict:
    """Seconds in the period (total, billable), the entry count, and time per project, most first (rows of
    project_id, project_name, seconds, entries). A non-admin sees their own time; ``user_id`` of somebody
    else is Forbidden for them. Two queries: one pass over the entries, then the projects' names."""
    entries = time_entries_visible_to(viewer, user_id=user_id).filter(
        start_time__gte=period.start, start_time__lt=period.end
    )
    if project_id is not None:
        entries = entries.filter(project_id=project_id)
    per_project = time_totals_by_project(entries)
    by_project = [
        {"project_id": row["project_id"], "project_name": row["project_name"], "seconds": row["total"],
         "entries": row["entries"]}
        for row in sorted(per_project, key=lambda row: (-row["total"], row["project_id"]))
    ]
    return {**sum_totals(per_project), "by_project": by_project}
