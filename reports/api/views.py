import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apitokens import scopes
from projects.selectors import search_clients, search_projects, search_tasks
from timeentries.selectors import search_time_entries, seconds_to_hours
from timetracker.api.base import APIView
from timetracker.api.permissions import request_grants
from timetracker.api.params import comma_list_param, date_or_datetime_param, int_param, positive_int_param
from timetracker.api.schema import DATE_OR_DATETIME, ID_PARAMETER_SCHEMA

from ..selectors import report_period, time_summary
from .serializers import SearchResponseSerializer, SummaryResponseSerializer

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def _utc(instant: datetime.datetime) -> str:
    return instant.astimezone(datetime.timezone.utc).strftime(ISO_UTC)


class SummaryReportView(APIView):
    """Hours in a period, in total, billable, and per project. Running timers and deleted entries don't count."""

    scope_resource = "reports"

    @extend_schema(
        summary="Summary report",
        parameters=[
            OpenApiParameter("start_date", DATE_OR_DATETIME, description="First day (or instant) of the period, "
                             "read in the user's timezone; default 29 days before end_date."),
            OpenApiParameter("end_date", DATE_OR_DATETIME, description="Last day (inclusive) or instant of the "
                             "period; default today."),
            OpenApiParameter("project_id", ID_PARAMETER_SCHEMA, description="Only this project's time."),
            OpenApiParameter("user_id", ID_PARAMETER_SCHEMA, description="Only this user's time (admins only; "
                             "another user's id is a 403 for others)."),
        ],
        responses=SummaryResponseSerializer,
    )
    def get(self, request):
        period = report_period(
            request.user, date_or_datetime_param(request, "start_date"), date_or_datetime_param(request, "end_date")
        )
        summary = time_summary(
            viewer=request.user, period=period, project_id=int_param(request, "project_id"),
            user_id=int_param(request, "user_id"),
        )
        by_project = [
            {"project_id": row["project_id"], "project_name": row["project_name"],
             "hours": seconds_to_hours(row["seconds"]), "entries": row["entries"]}
            for row in summary["by_project"]
        ]
        return Response(
            {
                "summary": {
                    "start_date": _utc(period.start),
                    "end_date": _utc(period.end - datetime.timedelta(microseconds=1)),
                    "total_hours": seconds_to_hours(summary["total"]),
                    "billable_hours": seconds_to_hours(summary["billable"]),
                    "total_entries": summary["entries"],
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

    @extend_schema(
        summary="Global search",
        parameters=[
            OpenApiParameter("q", {"type": "string", "pattern": r"\S[\s\S]*\S"}, required=True,
                             description=f"The search text, at least {MIN_QUERY_LENGTH} characters (trimmed)."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1}, description=f"Results per type "
                             f"(default {DEFAULT_SEARCH_LIMIT}; larger values are clamped to {MAX_SEARCH_LIMIT})."),
            OpenApiParameter("types", {"type": "string", "pattern": r"^\s*(project|task|client|entry)\s*"
                                                                     r"(,\s*(project|task|client|entry)\s*)*$"},
                             description="Comma-separated types to search: project, task, client, entry "
                                         "(default all)."),
        ],
        responses=SearchResponseSerializer,
    )
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
