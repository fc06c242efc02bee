import datetime

from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apitokens import scopes
from projects.selectors import search_clients, search_projects, search_tasks
from timeentries.selectors import search_time_entries, seconds_to_hours, time_by_project, time_entries_visible_to, time_totals
from timetracker.access import is_admin
from timetracker.api.permissions import request_grants
from timetracker.api.params import comma_list_param, date_or_datetime_param, int_param, positive_int_param
from timetracker.dates import end_bound, local_day_start, start_bound
from timetracker.models import user_timezone

DEFAULT_REPORT_DAYS = 30
ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def _utc(instant: datetime.datetime) -> str:
    return instant.astimezone(datetime.timezone.utc).strftime(ISO_UTC)


class SummaryReportView(APIView):
    """Hours in a period, in total, billable, and per project. Running timers and deleted entries don't count."""

    scope_resource = "reports"

    def get(self, request):
        viewer = request.user
        tz = user_timezone(viewer)
        start_value = date_or_datetime_param(request, "start_date")
        end_value = date_or_datetime_param(request, "end_date")
        today = datetime.datetime.now(tz).date()
        start = start_bound(start_value, tz) if start_value else local_day_start(
            today - datetime.timedelta(days=DEFAULT_REPORT_DAYS - 1), tz
        )
        end = end_bound(end_value or today, tz)  # exclusive
        if end <= start:
            raise ValidationError({"end_date": ["end_date must not be before start_date."]})

        entries = time_entries_visible_to(viewer).filter(start_time__gte=start, start_time__lt=end)
        project_id = int_param(request, "project_id")
        if project_id is not None:
            entries = entries.filter(project_id=project_id)
        user_id = int_param(request, "user_id")
        if user_id is not None:
            if user_id != viewer.pk and not is_admin(viewer):
                raise PermissionDenied("Only admins may report on other users' time.")
            entries = entries.filter(user_id=user_id)

        totals = time_totals(entries)
        by_project = [
            {
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "hours": seconds_to_hours(row["seconds"]),
                "entries": row["entries"],
            }
            for row in time_by_project(entries)
        ]
        return Response(
            {
                "summary": {
                    "start_date": _utc(start),
                    "end_date": _utc(end - datetime.timedelta(microseconds=1)),
                    "total_hours": seconds_to_hours(totals["total"]),
                    "billable_hours": seconds_to_hours(totals["billable"]),
                    "total_entries": totals["entries"],
                    "by_project": by_project,
                }
            }
        )


def _project_result(project):
    return {"type": "project", "category": "project", "id": project.pk, "title": project.name,
            "description": project.description, "url": f"/projects/{project.pk}", "badge": "Project"}


def _task_result(task):
    return {"type": "task", "category": "task", "id": task.pk, "title": task.name,
            "description": task.project.name, "url": f"/tasks/{task.pk}", "badge": task.get_status_display()}


def _client_result(client):
    return {"type": "client", "category": "client", "id": client.pk, "title": client.name,
            "description": client.company or client.email, "url": f"/clients/{client.pk}", "badge": "Client"}


def _entry_result(entry):
    title = entry.notes.strip().splitlines()[0][:80] if entry.notes.strip() else entry.project.name
    return {"type": "entry", "category": "entry", "id": entry.pk, "title": title,
            "description": f"{entry.project.name} · {entry.start_time:%Y-%m-%d}", "url": f"/time-entries/{entry.pk}",
            "badge": "Time Entry"}


# type → (resource whose read scope it needs, search, render)
SEARCH_TYPES = {
    "project": ("projects", lambda viewer, q, n: search_projects(q, n), _project_result),
    "task": ("tasks", lambda viewer, q, n: search_tasks(q, n), _task_result),
    "client": ("clients", lambda viewer, q, n: search_clients(q, n), _client_result),
    "entry": ("time_entries", search_time_entries, _entry_result),
}
MIN_QUERY_LENGTH = 2
DEFAULT_SEARCH_LIMIT = 10
MAX_SEARCH_LIMIT = 50


class SearchView(APIView):
    """Search projects, tasks, clients and time entries at once.

    Needs ``read:projects``; each other type is searched only if the token may also read it.
    """

    scope_resource = "projects"

    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if len(query) < MIN_QUERY_LENGTH:
            raise ValidationError({"q": [f"The search query must be at least {MIN_QUERY_LENGTH} characters."]})
        limit = min(positive_int_param(request, "limit", DEFAULT_SEARCH_LIMIT), MAX_SEARCH_LIMIT)
        types = comma_list_param(request, "types") or list(SEARCH_TYPES)
        unknown = [name for name in types if name not in SEARCH_TYPES]
        if unknown:
            raise ValidationError({"types": [f"Unknown type(s) {', '.join(unknown)}; use {', '.join(SEARCH_TYPES)}."]})

        results = []
        for name in dict.fromkeys(types):
            resource, search, render = SEARCH_TYPES[name]
            if request_grants(request, scopes.read_scope(resource)):
                results.extend(render(item) for item in search(request.user, query, limit))
        return Response({"results": results, "query": query, "count": len(results)})
