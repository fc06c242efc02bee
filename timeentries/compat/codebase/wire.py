"""Codebase's wire format for time sessions: Rails-style XML by default, root-wrapped JSON on request.

A view returns a document (``Session``, ``SessionList`` or ``Errors``) in a DRF ``Response``, and the
negotiated renderer writes it as XML or JSON. Request bodies are read by their Content-Type (XML unless
it says JSON; untrusted XML goes through defusedxml) and checked by ``SessionInput``.
"""

import datetime
import functools
import json
import re
import zoneinfo
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from timetracker.access import check_may_access_user
from timetracker.api.compat import UnprocessableEntity
from timetracker.dates import local_date, utc_text
from timetracker.models import user_timezone

from ...selectors import whole_minutes

SESSION, SESSIONS = "time-session", "time-sessions"
DATE_FORMAT = "%Y-%m-%d"

# The longest duration the database stores (a 32-bit count of seconds), about 68 years.
MAX_MINUTES = (2**31 - 1) // 60
MAX_TICKET_ID = 2**31 - 1
# Session dates far enough inside the calendar that a session's local start and end always exist.
FIRST_SESSION_DATE, LAST_SESSION_DATE = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


# What a session is on the wire


def minutes(entry) -> int:
    """A finished entry's duration in whole minutes, rounded half up (90 seconds → 2)."""
    return whole_minutes(entry.duration_seconds)


def session_date(entry) -> datetime.date:
    """The day the session took place: its start's date in its user's timezone."""
    return local_date(entry.start_time, user_timezone(entry.user))


class Value(NamedTuple):
    """One property of a record: its underscored name, its Rails type (None for text) and its value."""

    name: str
    type: str | None
    value: object


def _session_values(pk, notes, duration_seconds, start_time, user_id, ticket_id, created_at, updated_at,
                    tz) -> list[Value]:
    return [
        Value("id", "integer", pk),
        Value("summary", None, notes),
        Value("minutes", "integer", whole_minutes(duration_seconds)),
        Value("session_date", "date", local_date(start_time, tz)),
        Value("user_id", "integer", user_id),
        Value("ticket_id", "integer", ticket_id),
        Value("created_at", "datetime", created_at),
        Value("updated_at", "datetime", updated_at),
    ]


def session_values(entry) -> list[Value]:
    return _session_values(
        entry.pk, entry.notes, entry.duration_seconds, entry.start_time, entry.user_id, entry.ticket_id,
        entry.created_at, entry.updated_at, user_timezone(entry.user),
    )


# What a list reads of each session, in the order _session_values takes it, and the user's timezone name
# last: a month can hold hundreds of sessions, which need no model instances.
SESSION_COLUMNS = (
    "id", "notes", "duration_seconds", "start_time", "user_id", "ticket_id", "created_at", "updated_at",
    "user__profile__timezone",
)


@dataclass(frozen=True)
class Session:
    values: list[Value]

    @classmethod
    def of(cls, entry) -> "Session":
        return cls(session_values(entry))


@dataclass(frozen=True)
class SessionList:
    sessions: list[list[Value]]

    @classmethod
    def of(cls, rows) -> "SessionList":
        """The sessions of rows of ``SESSION_COLUMNS`` (``values_list``)."""
        zones = {}  # a few users' timezones, looked up once each
        sessions = []
        for *columns, zone_name in rows:
            tz = zones.get(zone_name)
            if tz is None:
                # A user without a profile is in the site's timezone, as user_timezone has it.
                tz = zones[zone_name] = zoneinfo.ZoneInfo(settings.TIME_ZONE if zone_name is None else zone_name)
            sessions.append(_session_values(*columns, tz))
        return cls(sessions)


@dataclass(frozen=True)
class Errors:
    messages: list[str]


# Rendering

_INDENT = "  "
# Characters XML 1.0 cannot carry; notes written through another API may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return utc_text(value)  # v1's instant format: UTC, whole seconds, "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# The XML is written as strings, byte for byte what xml.sax's XMLGenerator wrote (text escaped, an element
# without content closed with "/>"): through XMLGenerator, a month of sessions took most of its request.


@functools.cache
def _xml_tags(name: str, rails_type: str | None) -> tuple[str, str]:
    """A property's start tag, left open for ``>`` or ``/>`` (``<user-id type="integer"``), and its end tag."""
    tag = name.replace("_", "-")
    return f"<{tag}" + (f" type={quoteattr(rails_type)}" if rails_type else ""), f"</{tag}>"


def _xml_property(value: Value) -> str:
    start, end = _xml_tags(value.name, value.type)
    if value.value is None:
        return start + ' nil="true"/>'
    text = _NOT_XML.sub("", _text(value.value))
    return f"{start}>{escape(text)}{end}" if text else start + "/>"


def _xml_parent(tag: str, attributes: str, children: list[str], depth: int) -> str:
    # Rails' layout: one element a line, two spaces a level; an element without content closes itself.
    if not children:
        return f"<{tag}{attributes}/>"
    indent = "\n" + _INDENT * (depth + 1)
    return f"<{tag}{attributes}>{indent}{indent.join(children)}\n{_INDENT * depth}</{tag}>"


def _xml_record(tag: str, values: list[Value], depth: int) -> str:
    return _xml_parent(tag, "", [_xml_property(value) for value in values], depth)


def to_xml(document) -> bytes:
    if isinstance(document, Session):
        root = _xml_record(SESSION, document.values, 0)
    elif isinstance(document, SessionList):
        sessions = [_xml_record(SESSION, values, 1) for values in document.sessions]
        root = _xml_parent(SESSIONS, ' type="array"', sessions, 0)
    elif isinstance(document, Errors):
        root = _xml_record("errors", [Value("error", None, message) for message in document.messages], 0)
    else:
        raise TypeError(f"Not a Codebase document: {document!r}")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{root}\n'.encode("utf-8")


def _json_record(values: list[Value]) -> dict:
    return {
        value.name: value.value if value.value is None or isinstance(value.value, int) else _text(value.value)
        for value in values
    }


def to_json_data(document):
    """Rails' JSON: each record wrapped in its (underscored) name, a list as an array of wrapped records."""
    if isinstance(document, Session):
        return {"time_session": _json_record(document.values)}
    if isinstance(document, SessionList):
        return [{"time_session": _json_record(values)} for values in document.sessions]
    if isinstance(document, Errors):
        return {"errors": list(document.messages)}
    raise TypeError(f"Not a Codebase document: {document!r}")


class XMLRenderer(BaseRenderer):
    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else to_xml(data)


class JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(to_json_data(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# Parsing


def _read_body(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise UnprocessableEntity("The body is too large.")
    return body


def _xml_field(element):
    text = element.text or ""
    # Rails reads an empty element, like one marked nil, as no value.
    return None if element.get("nil") == "true" or not text.strip() else text


class XMLParser(BaseParser):
    """``<time-session>`` with one child element a property; names may be hyphenated or underscored."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None) -> dict:
        try:
            # No DTD at all: a session never needs one, and entity expansion (billion laughs) and
            # external entities are refused before they can cost anything.
            root = fromstring(_read_body(stream), forbid_dtd=True)
        except (ParseError, DefusedXmlException):
            raise UnprocessableEntity(
                "The body could not be read as XML (DTDs and entities are not accepted)."
            ) from None
        if root.tag.replace("_", "-") != SESSION:
            raise UnprocessableEntity(f"The body must be a <{SESSION}> element.")
        return {child.tag.replace("-", "_"): _xml_field(child) for child in root}


class JSONParser(BaseParser):
    """``{"time_session": {...}}``, or the session object itself."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> dict:
        try:
            data = json.loads(_read_body(stream))
        except (ValueError, RecursionError):
            raise UnprocessableEntity("The body could not be read as JSON.") from None
        if isinstance(data, dict) and isinstance(data.get("time_session"), dict):
            data = data["time_session"]
        if not isinstance(data, dict):
            raise UnprocessableEntity("The body must be a time session object.")
        return {str(key).replace("-", "_"): value for key, value in data.items()}


def _blank(label, **messages) -> dict:
    blank = f"{label} can't be blank"
    return {"required": blank, "null": blank, "blank": blank, **messages}


def _whole_number(label, minimum=None, maximum=None) -> dict:
    invalid = f"{label} must be a whole number"
    return _blank(
        label, invalid=invalid, max_string_length=invalid,
        min_value=f"{label} must be greater than {minimum - 1}" if minimum is not None else invalid,
        max_value=f"{label} must be less than or equal to {maximum}",
    )


class SessionInput(serializers.Serializer):
    """A time session as a client sends it; with ``partial=True`` (updates) every property is optional.

    Messages are Rails' full sentences, since Codebase's errors carry no field names.
    """

    summary = serializers.CharField(error_messages=_blank("Summary", invalid="Summary must be text"))
    minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_MINUTES, error_messages=_whole_number("Minutes", 1, MAX_MINUTES)
    )
    session_date = serializers.DateField(
        required=False, allow_null=True, input_formats=[DATE_FORMAT],
        error_messages={"invalid": "Session date must be a date (YYYY-MM-DD)"},
    )
    user_id = serializers.IntegerField(
        source="user", required=False, allow_null=True, error_messages=_whole_number("User")
    )
    ticket_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_TICKET_ID,
        error_messages=_whole_number("Ticket", 1, MAX_TICKET_ID),
    )

    def validate_session_date(self, value):
        if value is not None and not FIRST_SESSION_DATE <= value <= LAST_SESSION_DATE:
            raise serializers.ValidationError(
                f"Session date must be between {FIRST_SESSION_DATE} and {LAST_SESSION_DATE}"
            )
        return value

    def validate_user_id(self, value):
        if value is None:
            return None
        # Whether the caller may act for that user is asked first, so a non-admin learns nothing about
        # which user ids exist.
        check_may_access_user(self.context["viewer"], value)
        user = get_user_model().objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("User does not exist")
        return user


def read_session(data, *, viewer, partial=False) -> dict:
    """The validated properties of a parsed body: summary, minutes, session_date, user (a User), ticket_id.

    Properties a client may send back but cannot change (id, created-at, ...) are ignored.
    """
    serializer = SessionInput(data=data, partial=partial, context={"viewer": viewer})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Content negotiation


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _is_xml(media_type: str) -> bool:
    return media_type in ("application/xml", "text/xml") or media_type.endswith("+xml")


def _quality(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return 0.0
            return quality if 0.0 <= quality <= 1.0 else 0.0
    return 1.0


def wants_json(accept: str) -> bool:
    """Whether an Accept header prefers JSON: of the JSON and XML types it names, the one with the highest
    quality wins (the first named on a tie). Wildcards and other types leave the default, XML."""
    best = None
    for position, item in enumerate(accept.split(",")):
        media_type, *params = item.split(";")
        media_type = media_type.strip().lower()
        if not (_is_json(media_type) or _is_xml(media_type)):
            continue
        quality = _quality(params)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, position, _is_json(media_type))
    return best is not None and best[2]


class Negotiation(BaseContentNegotiation):
    """XML unless the client asks for JSON. An Accept header never causes a 406: Codebase keeps
    that status for verbs a route does not take."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = JSONRenderer if wants_json(request.META.get("HTTP_ACCEPT", "")) else XMLRenderer
        renderer = next(renderer for renderer in renderers if isinstance(renderer, wanted))
        return renderer, renderer.media_type

    def select_parser(self, request, parsers):
        wanted = JSONParser if _is_json(_media_type(request.content_type or "")) else XMLParser
        return next(parser for parser in parsers if isinstance(parser, wanted))
