"""Codebase's time-sessions routes: read the request, call the time-entry services and selectors, render.

A time session is a finished time entry of the project (see docs/codebase.md).
"""

import calendar
import datetime
import re

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from projects.models import Project
from timetracker.api.compat import BadParameter, CompatAPIView
from timetracker.dates import local_date, local_day_bounds, local_day_start
from timetracker.models import user_timezone

from ... import services
from ...models import TimeEntry
from ...selectors import time_entries_visible_to
from . import wire
from .schema import (
    LIST_PARAMETERS, NO_BODY, SESSION_BODY, SESSION_CREATED, SESSION_LIST, SESSION_RESPONSE, CodebaseSchema,
)

ONE_DAY = datetime.timedelta(days=1)
# Filter dates are clamped one day inside the calendar, so their local midnights exist in every timezone.
EARLIEST_FILTER_DATE, LATEST_FILTER_DATE = datetime.date.min + ONE_DAY, datetime.date.max - 2 * ONE_DAY


class VerbNotAccepted(exceptions.APIException):
    """Codebase answers a verb that a route does not take with 406, not 405."""

    status_code = status.HTTP_406_NOT_ACCEPTABLE

    def __init__(self, method):
        super().__init__(f"{method} is not accepted on this route.")


class CodebaseView(CompatAPIView):
    """A Codebase route: XML (or JSON) in and out, errors as ``<errors>``, no body on a 404, 406 for other verbs."""

    renderer_classes = [wire.XMLRenderer, wire.JSONRenderer]
    parser_classes = [wire.XMLParser, wire.JSONParser]
    content_negotiation_class = wire.Negotiation
    schema = CodebaseSchema()
    # OPTIONS and PATCH are not Codebase verbs, so they get the 406 too.
    http_method_names = ["get", "head", "post", "put", "delete"]

    def render_error(self, status_code, messages):
        if status_code == status.HTTP_404_NOT_FOUND:
            return Response(status=status_code)  # Codebase answers an unknown project or session with no body
        return Response(wire.Errors(messages), status=status_code)

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise VerbNotAccepted(request.method)


class SessionsView(CodebaseView):
    """GET: the project's sessions (filters ``user``, ``from``, ``to``). POST: log a session."""

    @extend_schema(summary="List a project's time sessions", parameters=LIST_PARAMETERS, responses=SESSION_LIST)
    def get(self, request, project):
        sessions = _filtered(request, _sessions(request.user, _project(project)))
        return Response(wire.SessionList.of(sessions.values_list(*wire.SESSION_COLUMNS)))

    @extend_schema(summary="Log a time session", request=SESSION_BODY, responses=SESSION_CREATED)
    def post(self, request, project):
        project = _project(project)
        data = wire.read_session(request.data, viewer=request.user)
        owner = data.get("user") or request.user
        services.check_can_act_for(request.user, owner)
        tz = user_timezone(owner)
        start = local_day_start(data.get("session_date") or local_date(timezone.now(), tz), tz)
        entry = services.time_entry_create(
            user=owner, project=project, start_time=start,
            end_time=start + datetime.timedelta(minutes=data["minutes"]), has_start_time=False,
            notes=data["summary"], ticket_id=data.get("ticket_id"), source=TimeEntry.Source.CODEBASE,
        )
        return Response(wire.Session.of(entry), status=status.HTTP_201_CREATED)


class SessionPeriodView(CodebaseView):
    """GET: the project's sessions of today, this week (Monday to Sunday) or this month, in the caller's
    timezone. The list filters apply as well."""

    period = None  # "day", "week" or "month"

    @extend_schema(summary="Time sessions of today, this week or this month", parameters=LIST_PARAMETERS,
                   responses=SESSION_LIST)
    def get(self, request, project):
        today = local_date(timezone.now(), user_timezone(request.user))
        first, last = _period_dates(self.period, today)
        sessions = _filtered(request, _sessions(request.user, _project(project)), first, last)
        return Response(wire.SessionList.of(sessions.values_list(*wire.SESSION_COLUMNS)))


class SessionView(CodebaseView):
    """GET one session; PUT changes it (partial bodies too; 200 with no body); DELETE is soft (200)."""

    @extend_schema(summary="Get a time session", responses=SESSION_RESPONSE)
    def get(self, request, project, session_id):
        return Response(wire.Session.of(_session(request.user, project, session_id)))

    @extend_schema(summary="Update a time session (partial)", request=SESSION_BODY, responses=NO_BODY)
    def put(self, request, project, session_id):
        entry = _session(request.user, project, session_id)
        changes = _session_changes(request.user, entry, wire.read_session(request.data, viewer=request.user, partial=True))
        services.time_entry_update(entry=entry, **changes)
        return Response(status=status.HTTP_200_OK)

    @extend_schema(summary="Delete a time session (soft)", responses=NO_BODY)
    def delete(self, request, project, session_id):
        services.time_entry_delete(entry=_session(request.user, project, session_id))
        return Response(status=status.HTTP_200_OK)


class UnknownRouteView(CodebaseView):
    """Any other path under /codebase/: 404 with no body, like an unknown project."""

    authentication_classes = []
    permission_classes = []
    schema = None  # a catch-all, not an operation

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound()


def _project(permalink) -> Project:
    return get_object_or_404(Project, permalink=permalink)


def _sessions(viewer, project):
    """The project's sessions the viewer may see, in order. A running timer is not a session (yet)."""
    return (
        time_entries_visible_to(viewer)
        .filter(project=project)
        .finished()
        .select_related("user__profile")  # a session's date is read in its user's timezone
        .order_by("start_time", "id")
    )


def _session(viewer, permalink, session_id) -> TimeEntry:
    return get_object_or_404(_sessions(viewer, _project(permalink)), pk=session_id)


def _session_changes(actor, entry, data) -> dict:
    """The entry changes a (partial) session asks for.

    A new session date moves the start to that day's local midnight and keeps the duration; new minutes
    move the end. Values equal to what the client was shown change nothing, so a complete session sent
    back unchanged leaves an entry's exact times alone.
    """
    changes = {}
    if "summary" in data:
        changes["notes"] = data["summary"]
    if "ticket_id" in data:
        changes["ticket_id"] = data["ticket_id"]
    owner = data.get("user") or entry.user
    if owner.pk != entry.user_id:
        services.check_can_act_for(actor, owner)
        changes["user"] = owner

    shown_date, shown_minutes = wire.session_date(entry), wire.minutes(entry)
    day = data.get("session_date") or shown_date
    start = entry.start_time
    # A session without a time of its own stays on its date when it moves to a user in another timezone.
    if day != shown_date or ("user" in changes and not entry.has_start_time):
        start = local_day_start(day, user_timezone(owner))
        changes.update(start_time=start, has_start_time=False)
    if data.get("minutes", shown_minutes) != shown_minutes:
        changes["end_time"] = start + datetime.timedelta(minutes=data["minutes"])
    elif start != entry.start_time:
        changes["end_time"] = start + (entry.end_time - entry.start_time)
    return changes


def _filtered(request, sessions, first=None, last=None):
    """Sessions of ``user`` whose date (in the caller's timezone) lies within ``from`` and ``to``, inclusive,
    and within ``first`` and ``last`` when given."""
    user_id = _id_param(request, "user")
    if user_id is not None:
        sessions = sessions.filter(user_id=user_id)
    first = max(filter(None, [first, _date_param(request, "from")]), default=None)
    last = min(filter(None, [last, _date_param(request, "to")]), default=None)
    tz = user_timezone(request.user)
    if first is not None:
        sessions = sessions.filter(start_time__gte=local_day_start(_clamped(first), tz))
    if last is not None:
        sessions = sessions.filter(start_time__lt=local_day_bounds(_clamped(last), tz)[1])
    return sessions


def _clamped(day):
    return min(max(day, EARLIEST_FILTER_DATE), LATEST_FILTER_DATE)


def _period_dates(period, today) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the day, week (Monday to Sunday) or month holding ``today``."""
    if period == "day":
        return today, today
    if period == "week":
        monday = today - datetime.timedelta(days=today.weekday())
        return monday, monday + 6 * ONE_DAY
    if period == "month":
        return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    raise ValueError(f"Unknown period {period!r}")


def _date_param(request, name) -> datetime.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.datetime.strptime(raw, wire.DATE_FORMAT).date()
    except ValueError:
        raise BadParameter(f"{name} must be a date (YYYY-MM-DD).") from None


def _id_param(request, name) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,19}", raw):  # a longer number is no id (ids are 64-bit)
        raise BadParameter(f"{name} must be a user id.")
    return int(raw)
