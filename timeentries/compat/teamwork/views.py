"""Teamwork routes: each view parses Teamwork's request, calls the shared services and selectors,
and renders Teamwork's JSON."""

import datetime
import math
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from projects.models import Project, Task, Tasklist
from projects.selectors import task_estimates
from timetracker.api.compat import CompatAPIView, UnprocessableEntity
from timetracker.counts import page_with_total
from timetracker.dates import local_day_start, local_instant
from timetracker.models import user_timezone

from ... import services
from ...models import TimeEntry
from ...selectors import time_entries_visible_to, time_totals, time_totals_by_project
from ...signals import TIME_ENTRY_COUNTS
from . import wire
from .params import TeamworkParams
from .schema import (
    ACCOUNT_LIST_PARAMETERS, FILTER_PARAMETERS, PAGE_PARAMETERS, TIME_ENTRY_BODY, TeamworkSchema,
    response,
)

MAX_PAGE_SIZE = 500
DEFAULT_PROJECT_TOTALS_PAGE_SIZE = 100
SORT_FIELDS = {
    "date": ["start_time"],
    "user": ["user__last_name", "user__first_name", "user__username"],
    "task": ["task__name"],
    "tasklist": ["task__tasklist__name"],
    "project": ["project__name"],
    "company": ["project__client__name"],
    "dateupdated": ["updated_at"],
}


def ok(**body) -> dict:
    return {"STATUS": "OK", **body}


class JSONOnly(BaseContentNegotiation):
    """Teamwork answers JSON whatever the Accept header says (its URLs end in .json)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TeamworkView(CompatAPIView):
    schema = TeamworkSchema()
    renderer_classes = [JSONRenderer]
    parser_classes = []  # bodies are read by wire.read_time_entry: an unreadable one is a 422, not a 400
    content_negotiation_class = JSONOnly

    def render_error(self, status_code, messages):
        return Response({"MESSAGE": " ".join(messages), "STATUS": "Error"}, status=status_code)

    @cached_property
    def params(self) -> TeamworkParams:
        return TeamworkParams(self.request.query_params)

    @cached_property
    def viewer_tz(self):
        return user_timezone(self.request.user)

    def entries(self, *, include_deleted=False):
        """Finished entries the caller may see, narrowed by the filters lists and totals share:
        ``userId``, ``fromdate/fromtime/todate/totime`` (caller's timezone) and ``projectType``."""
        entries = time_entries_visible_to(self.request.user, include_deleted=include_deleted).finished()
        user_id = self.params.integer("userId", minimum=0)
        if user_id:  # Teamwork's 0 means every user
            entries = entries.filter(user_id=user_id)
        start, end = self.params.instant_range(self.viewer_tz)
        if start:
            entries = entries.filter(start_time__gte=start)
        if end:
            entries = entries.filter(start_time__lt=end)
        project_type = self.params.choice("projectType", ["all", "active", "archived"], "all")
        if project_type == "active":
            entries = entries.exclude(project__status=Project.Status.ARCHIVED)
        elif project_type == "archived":
            entries = entries.filter(project__status=Project.Status.ARCHIVED)
        return entries

    def page(self, queryset, *, default_size=MAX_PAGE_SIZE, count_name=None, fetch=None):
        """One page of ``queryset`` and Teamwork's paging headers."""
        page = self.params.integer("page", minimum=1) or 1
        size = min(self.params.integer("pageSize", minimum=1) or default_size, MAX_PAGE_SIZE)
        rows, records = page_with_total(queryset, offset=(page - 1) * size, size=size, count_name=count_name,
                                        fetch=fetch)
        headers = {"X-Page": str(page), "X-Pages": str(math.ceil(records / size)), "X-Records": str(records)}
        return rows, headers


# Lists and creation


class TimeEntryListView(TeamworkView):
    """``GET /time_entries.json`` (``/projects/{id}/…``, ``/tasks/{id}/…`` narrow it) and, on the project and
    task routes, ``POST`` to log time there."""

    def scope(self, entries):
        project_id = self.params.integer("projectId", minimum=0)
        return entries.filter(project_id=project_id) if project_id is not None else entries

    @extend_schema(summary="List time entries", parameters=ACCOUNT_LIST_PARAMETERS,
                   responses=response("TeamworkTimeEntryList"))
    def get(self, request, **kwargs):
        entries = self.scope(self.entries(include_deleted=self.params.boolean("showDeleted")))
        entries = self.filter(entries)
        rows, headers = self.page(entries, count_name=TIME_ENTRY_COUNTS, fetch=wire.entry_values)
        tz = self.viewer_tz
        return Response(ok(**{"time-entries": [wire.render_entry(row, viewer_tz=tz) for row in wire.with_tags(rows)]}),
                        headers=headers)

    def filter(self, entries):
        params = self.params
        billable = params.choice("billableType", ["all", "billable", "nonbillable"], "all")
        if billable != "all":
            entries = entries.filter(billable=billable == "billable")
        invoiced = params.choice("invoicedType", ["all", "invoiced", "noninvoiced"], "all")
        if invoiced == "invoiced":
            entries = entries.exclude(invoice_number="")
        elif invoiced == "noninvoiced":
            entries = entries.filter(invoice_number="")
        tag_ids = params.integers("tagIds")
        if tag_ids:
            tagged = TimeEntry.tags.through.objects.filter(timeentry_id=OuterRef("pk"), tag_id__in=tag_ids)
            entries = entries.filter(Exists(tagged))
        updated_after = params.timestamp("updatedAfterDate")
        if updated_after:
            entries = entries.filter(updated_at__gt=updated_after)
        sort = params.choice("sortby", list(SORT_FIELDS), "date")
        descending = params.choice("sortorder", ["asc", "desc"], "asc") == "desc"
        order = [*SORT_FIELDS[sort], "start_time", "id"]
        return entries.order_by(*[f"-{field}" if descending else field for field in order])


@extend_schema_view(get=extend_schema(summary="List a project's time entries", parameters=[
    OpenApiParameter("projectId", exclude=True)]))
class ProjectTimeEntriesView(TimeEntryListView):
    @cached_property
    def project(self):
        return get_object_or_404(Project, pk=self.kwargs["project_id"])

    def scope(self, entries):
        return entries.filter(project=self.project)

    @extend_schema(summary="Log time on a project", request=TIME_ENTRY_BODY,
                   responses={201: response("TeamworkTimeLogged", "Logged; the id and Location headers name it.")})
    def post(self, request, project_id):
        entry = create_entry(request, project=self.project)
        return created({"timeLogId": str(entry.pk)}, entry)


@extend_schema_view(get=extend_schema(summary="List a task's time entries", parameters=[
    OpenApiParameter("projectId", exclude=True)]))
class TaskTimeEntriesView(TimeEntryListView):
    @cached_property
    def task(self):
        return get_object_or_404(Task.objects.select_related("project"), pk=self.kwargs["task_id"])

    def scope(self, entries):
        return entries.filter(task=self.task)

    @extend_schema(summary="Log time on a task", request=TIME_ENTRY_BODY,
                   responses={201: response("TeamworkTaskTimeLogged", "Logged; the id and Location headers name it.")})
    def post(self, request, task_id):
        entry = create_entry(request, project=self.task.project, task=self.task)
        return created({"id": str(entry.pk)}, entry)


def created(body, entry):
    return Response(
        ok(**body), status=status.HTTP_201_CREATED,
        headers={"id": str(entry.pk), "Location": f"/teamwork/time_entries/{entry.pk}.json"},
    )


def _person(data, default):
    if data.get("person-id") in (None, ""):
        return default
    person_id = wire.as_int(data["person-id"], "person-id")
    person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise UnprocessableEntity(f"There is no person with id {person_id}.")
    return person


def _minutes(data, *, default_hours=0, default_minutes=0) -> int:
    hours = wire.as_int(data["hours"], "hours") if data.get("hours") not in (None, "") else default_hours
    minutes = wire.as_int(data["minutes"], "minutes") if data.get("minutes") not in (None, "") else default_minutes
    total = hours * 60 + minutes
    if total <= 0:
        raise UnprocessableEntity("The time logged (hours and minutes) must be more than zero.")
    if total > services.MAX_DURATION / datetime.timedelta(minutes=1):  # before a timedelta overflows on it
        raise UnprocessableEntity("An entry cannot be longer than 366 days.")
    return total


def _start(day, time_of_day, tz):
    """The start instant: the given local time, or local midnight when the client gave only a date."""
    if time_of_day is None:
        return local_day_start(day, tz)
    try:
        return local_instant(datetime.datetime.combine(day, time_of_day), tz)
    except ValueError as exc:
        raise UnprocessableEntity(str(exc)) from None


def create_entry(request, *, project, task=None) -> TimeEntry:
    data = wire.read_time_entry(request.body)
    person = _person(data, request.user)
    services.check_can_act_for(request.user, person)
    tz = user_timezone(person)
    day = wire.as_date(data["date"], "date") if data.get("date") else timezone.now().astimezone(tz).date()
    time_of_day = wire.as_time(data["time"], "time") if data.get("time") else None
    start = _start(day, time_of_day, tz)
    return services.time_entry_create(
        user=person, project=project, task=task, start_time=start,
        end_time=start + datetime.timedelta(minutes=_minutes(data)), has_start_time=time_of_day is not None,
        notes=str(data.get("description") or ""), tags=_tags(data),
        billable=wire.as_bool(data["isbillable"], "isbillable") if data.get("isbillable") not in (None, "") else None,
        source=TimeEntry.Source.TEAMWORK,
    )


def _tags(data):
    tags = data.get("tags")
    if tags is None or isinstance(tags, str) or (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return tags
    raise UnprocessableEntity("'tags' must be a comma-separated string of tag names.")


# One entry


class TimeEntryDetailView(TeamworkView):
    """``GET``, ``PUT`` and ``DELETE /time_entries/{id}.json``; another user's entry is a 404 for a non-admin,
    and so is a running timer (not a Teamwork time log until it stops)."""

    def visible_entries(self):
        return time_entries_visible_to(self.request.user).finished()

    def get_entry(self, entry_id):
        return get_object_or_404(self.visible_entries().select_related("project", "task", "user"), pk=entry_id)

    @extend_schema(summary="Get a time entry", responses=response("TeamworkTimeEntryEnvelope"))
    def get(self, request, entry_id):
        rows = wire.with_tags(list(wire.entry_values(self.visible_entries().filter(pk=entry_id))))
        if not rows:
            raise Http404
        return Response(ok(**{"time-entry": wire.render_entry(rows[0], viewer_tz=self.viewer_tz)}))

    @extend_schema(summary="Update a time entry (partial)", request=TIME_ENTRY_BODY, responses=response("TeamworkOK"))
    def put(self, request, entry_id):
        entry = self.get_entry(entry_id)
        services.time_entry_update(entry=entry, **entry_changes(request, entry))
        return Response(ok())

    @extend_schema(summary="Delete a time entry (soft)", responses={200: response("TeamworkOK")})
    def delete(self, request, entry_id):
        services.time_entry_delete(entry=self.get_entry(entry_id))
        return Response(ok())


def entry_changes(request, entry) -> dict:
    """The changes a partial ``time-entry`` body asks for, as keyword arguments of time_entry_update."""
    data = wire.read_time_entry(request.body)
    changes = {}
    if "description" in data:
        changes["notes"] = str(data["description"] or "")
    if data.get("person-id") not in (None, ""):
        person = _person(data, entry.user)
        services.check_can_act_for(request.user, person)
        changes["user"] = person
    if data.get("project-id") not in (None, ""):
        project_id = wire.as_int(data["project-id"], "project-id")
        changes["project"] = Project.objects.filter(pk=project_id).first()
        if changes["project"] is None:
            raise UnprocessableEntity(f"There is no project with id {project_id}.")
    if data.get("isbillable") not in (None, ""):
        changes["billable"] = wire.as_bool(data["isbillable"], "isbillable")
    if "tags" in data:
        changes["tags"] = _tags(data) or []
    if any(data.get(key) not in (None, "") for key in ("date", "time", "hours", "minutes")):
        changes.update(_new_times(data, entry, changes.get("user", entry.user)))
    return changes


def _new_times(data, entry, person) -> dict:
    tz = user_timezone(person)
    local = entry.start_time.astimezone(tz)
    day = wire.as_date(data["date"], "date") if data.get("date") else local.date()
    if data.get("time"):
        time_of_day = wire.as_time(data["time"], "time")
    else:
        time_of_day = local.time().replace(tzinfo=None) if entry.has_start_time else None
    start = _start(day, time_of_day, tz)
    if data.get("hours") in (None, "") and data.get("minutes") in (None, ""):
        duration = entry.end_time - entry.start_time
    else:
        current = round(entry.duration_seconds / 60)
        duration = datetime.timedelta(
            minutes=_minutes(data, default_hours=current // 60, default_minutes=current % 60)
        )
    return {"start_time": start, "end_time": start + duration, "has_start_time": time_of_day is not None}


# Totals


class TimeTotalView(TeamworkView):
    """``GET /time/total.json``: the caller's visible time (everyone's for an admin)."""

    @extend_schema(summary="Time totals", parameters=FILTER_PARAMETERS, responses=response("TeamworkTimeTotalsResponse"))
    def get(self, request):
        return Response(ok(**{"time-totals": wire.render_time_totals(time_totals(self.entries()))}))


class ProjectTimeTotalView(TeamworkView):
    """A project's time totals and its tasks' estimates."""

    @extend_schema(summary="A project's time totals", parameters=FILTER_PARAMETERS,
                   responses=response("TeamworkProjectTimeTotals"))
    def get(self, request, project_id):
        project = get_object_or_404(Project.objects.select_related("client"), pk=project_id)
        body = self.project_body(project)
        body.update(self.totals(self.entries().filter(project=project), project.tasks.all()))
        return Response(ok(projects=[body]))

    @staticmethod
    def project_body(project):
        return {"id": str(project.pk), "name": project.name, "company": wire.render_company(project)}

    @staticmethod
    def totals(entries, tasks):
        return {
            "time-totals": wire.render_time_totals(time_totals(entries)),
            "time-estimates": wire.render_time_estimates(task_estimates(tasks)),
        }


class TasklistTimeTotalView(ProjectTimeTotalView):
    """A task list's time totals and its tasks' estimates, nested in its project."""

    @extend_schema(summary="A task list's time totals", parameters=FILTER_PARAMETERS,
                   responses=response("TeamworkTasklistTimeTotals"))
    def get(self, request, tasklist_id):
        tasklist = get_object_or_404(Tasklist.objects.select_related("project__client"), pk=tasklist_id)
        body = self.project_body(tasklist.project)
        body["tasklist"] = {
            "id": str(tasklist.pk), "name": tasklist.name,
            **self.totals(self.entries().filter(task__tasklist=tasklist), tasklist.tasks.all()),
        }
        return Response(ok(projects=[body]))


class TaskTimeTotalView(ProjectTimeTotalView):
    """A task's time totals and estimate, nested in its task list and project."""

    @extend_schema(summary="A task's time totals", parameters=FILTER_PARAMETERS,
                   responses=response("TeamworkTaskTimeTotals"))
    def get(self, request, task_id):
        task = get_object_or_404(Task.objects.select_related("project__client", "tasklist"), pk=task_id)
        body = self.project_body(task.project)
        body["tasklist"] = {
            "id": wire.id_or_empty(task.tasklist_id), "name": task.tasklist.name if task.tasklist else "",
            "task": {
                "id": str(task.pk), "name": task.name,
                **self.totals(self.entries().filter(task=task), Task.objects.filter(pk=task.pk)),
            },
        }
        return Response(ok(projects=[body]))


class ProjectsTimeTotalView(TeamworkView):
    """``GET /projects/time/total.json``: per project with time in the period, by project name, paged."""

    @extend_schema(summary="Time totals per project", parameters=[*FILTER_PARAMETERS, *PAGE_PARAMETERS],
                   responses=response("TeamworkProjectsTimeTotals"))
    def get(self, request):
        rows, headers = self.page_of_all(time_totals_by_project(self.entries()))
        return Response(ok(projects=[wire.render_project_total_row(row) for row in rows]), headers=headers)

    def page_of_all(self, rows: list):
        """One page of ``rows``, which are all at hand (one per project), so the count is their number."""
        page = self.params.integer("page", minimum=1) or 1
        size = min(self.params.integer("pageSize", minimum=1) or DEFAULT_PROJECT_TOTALS_PAGE_SIZE, MAX_PAGE_SIZE)
        records = len(rows)
        headers = {"X-Page": str(page), "X-Pages": str(math.ceil(records / size)), "X-Records": str(records)}
        return rows[(page - 1) * size : page * size], headers
