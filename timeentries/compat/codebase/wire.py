"""Codebase's wire format for time sessions: Rails-style XML by default, root-wrapped JSON on request.

A view returns a document (``Session``, ``SessionList`` or ``Errors``) in a DRF ``Response``, and the
negotiated renderer writes it as XML or JSON. Request bodies are read by their Content-Type (XML unless
it says JSON; untrusted XML goes through defusedxml) and checked by ``SessionInput``.
"""

import datetime
import io
import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import XMLGenerator

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
from timetracker.api.serializers import UTCDateTimeField
from timetracker.dates import local_date
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


@dataclass(frozen=True)
class Value:
    """One property of a record: its underscored name, its Rails type (None for text) and its value."""

    name: str
    type: str | None
    value: object


def session_values(entry) -> list[Value]:
    return [
        Value("id", "integer", entry.pk),
        Value("summary", None, entry.notes),
        Value("minutes", "integer", minutes(entry)),
        Value("session_date", "date", session_date(entry)),
        Value("user_id", "integer", entry.user_id),
        Value("ticket_id", "integer", entry.ticket_id),
        Value("created_at", "datetime", entry.created_at),
        Value("updated_at", "datetime", entry.updated_at),
    ]


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
    def of(cls, entries) -> "SessionList":
        return cls([session_values(entry) for entry in entries])


@dataclass(frozen=True)
class Errors:
    messages: list[str]


# Rendering

_INSTANT = UTCDateTimeField()  # v1's instant format: UTC, whole seconds, "Z"
_INDENT = "  "
# Characters XML 1.0 cannot carry; notes written through another API may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return _INSTANT.to_representation(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xml_value(value: Value) -> tuple:
    name, attrs = value.name.replace("_", "-"), {"type": value.type} if value.type else {}
    if value.value is None:
        return name, {**attrs, "nil": "true"}, None
    return name, attrs, _text(value.value)


def _xml_tree(document) -> tuple:
    """The document as nested ``(name, attributes, text or [children])``."""
    if isinstance(document, Session):
        return SESSION, {}, [_xml_value(value) for value in document.values]
    if isinstance(document, SessionList):
        sessions = [(SESSION, {}, [_xml_value(value) for value in values]) for values in document.sessions]
        return SESSIONS, {"type": "array"}, sessions
    if isinstance(document, Errors):
        return "errors", {}, [("error", {}, message) for message in document.messages]
    raise TypeError(f"Not a Codebase document: {document!r}")


def _write_xml(xml: XMLGenerator, name, attrs, content, depth=0):
    # Rails' layout: one element a line, two spaces a level; an element without content closes itself.
    xml.startElement(name, attrs)
    if isinstance(content, list):
        for child in content:
            xml.ignorableWhitespace("\n" + _INDENT * (depth + 1))
            _write_xml(xml, *child, depth + 1)
        if content:
            xml.ignorableWhitespace("\n" + _INDENT * depth)
    elif content:
        xml.characters(_NOT_XML.sub("", content))
    xml.endElement(name)


def to_xml(document) -> bytes:
    out = io.StringIO()
    xml = XMLGenerator(out, encoding="UTF-8", short_empty_elements=True)
    xml.startDocument()  # <?xml version="1.0" encoding="UTF-8"?>
    _write_xml(xml, *_xml_tree(document))
    xml.endDocument()
    return (out.getvalue() + "\n").encode("utf-8")


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
