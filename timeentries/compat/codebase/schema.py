"""How the OpenAPI schema describes the Codebase-compatible API: Rails-style XML by default, JSON on request."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from timetracker.api.schema import AutoSchema, ref, string

from .wire import MAX_MINUTES, MAX_TICKET_ID, SESSION, SESSIONS

XML, JSON = "application/xml", "application/json"
WHOLE_NUMBER_TEXT = r"^\s*[-+]?[0-9]+(\.0*)?\s*$"
NULLABLE_ID = {"type": "integer", "nullable": True}


def _session_properties(separator: str, *, xml: bool) -> dict:
    def name(text):
        return text.replace("_", separator)

    def typed(schema, rails_type):
        # In XML each value carries its Rails type (type="integer"), and an empty one nil="true".
        return {**schema, "description": f'XML: type="{rails_type}".'} if xml and rails_type else schema

    return {
        name("id"): typed({"type": "integer"}, "integer"),
        name("summary"): string(),
        name("minutes"): typed({"type": "integer", "minimum": 0}, "integer"),
        name("session_date"): typed(string(format="date"), "date"),
        name("user_id"): typed({"type": "integer"}, "integer"),
        name("ticket_id"): typed(NULLABLE_ID, "integer"),
        name("created_at"): typed(string(format="date-time"), "datetime"),
        name("updated_at"): typed(string(format="date-time"), "datetime"),
    }


def _input_properties(separator: str, *, json: bool) -> dict:
    def name(text):
        return text.replace("_", separator)

    def integer(**schema):
        # Like Rails, a JSON client may send a number as a string ("30"); XML has only text anyway.
        if not json:
            return {"type": "integer", **schema}
        return {"anyOf": [{"type": "integer", **schema}, {"type": "string", "pattern": WHOLE_NUMBER_TEXT}]}

    return {
        name("summary"): {"anyOf": [string(), {"type": "number"}]} if json else string(),
        name("minutes"): {**integer(minimum=1, maximum=MAX_MINUTES), "description": "Required when creating."},
        name("session_date"): string("Default today in the user's timezone.", format="date"),
        name("user_id"): {**integer(), "nullable": True,
                          "description": "Default the caller; another user needs an admin."},
        name("ticket_id"): {**integer(minimum=1, maximum=MAX_TICKET_ID), "nullable": True},
    }


_SESSION_JSON = {"type": "object", "properties": _session_properties("_", xml=False)}
_SESSION_JSON["required"] = list(_SESSION_JSON["properties"])

SCHEMAS = {
    "CodebaseTimeSessionXML": {
        "type": "object", "xml": {"name": SESSION}, "properties": _session_properties("-", xml=True),
        "required": list(_session_properties("-", xml=True)),
    },
    "CodebaseTimeSessionListXML": {
        "type": "array", "xml": {"name": SESSIONS, "wrapped": True},
        "items": ref("schemas", "CodebaseTimeSessionXML"),
        "description": 'XML: <time-sessions type="array">.',
    },
    "CodebaseTimeSession": {
        "type": "object", "properties": {"time_session": _SESSION_JSON}, "required": ["time_session"],
    },
    "CodebaseTimeSessionList": {"type": "array", "items": ref("schemas", "CodebaseTimeSession")},
    "CodebaseTimeSessionInputXML": {
        "type": "object", "xml": {"name": SESSION}, "properties": _input_properties("-", json=False),
    },
    "CodebaseTimeSessionInput": {
        "anyOf": [
            {"type": "object", "properties": {"time_session": ref("schemas", "CodebaseTimeSessionFields")},
             "required": ["time_session"]},
            ref("schemas", "CodebaseTimeSessionFields"),
        ],
        "description": "The session wrapped in time_session, or bare.",
    },
    "CodebaseTimeSessionFields": {"type": "object", "properties": _input_properties("_", json=True)},
    "CodebaseErrorsXML": {
        "type": "array", "xml": {"name": "errors", "wrapped": True},
        "items": {"type": "string", "xml": {"name": "error"}},
    },
    "CodebaseErrors": {
        "type": "object", "properties": {"errors": {"type": "array", "items": string()}}, "required": ["errors"],
    },
}

ERRORS = {
    400: ("CodebaseBadRequest", "A malformed filter (user, from, to).", "errors", []),
    401: ("CodebaseUnauthorized", "No valid token (`WWW-Authenticate: Basic`).", "errors", ["WWW-Authenticate"]),
    403: ("CodebaseForbidden", "The token lacks the scope, or a non-admin names another user.", "errors", []),
    404: ("CodebaseNotFound", "Unknown project or session (or another user's): an empty body.", None, []),
    409: ("CodebaseConflict", "A concurrent change won.", "errors", []),
    422: ("CodebaseUnprocessable", "An invalid session or an unreadable body (Rails' full sentences).", "errors", []),
    429: ("CodebaseRateLimited", "Too many requests; retry after `Retry-After` seconds.", "errors", ["Retry-After"]),
}

LIST_PARAMETERS = [
    OpenApiParameter("user", {"type": "string", "pattern": r"^[0-9]{1,19}$"},
                     description="Only this user's sessions (a user id)."),
    OpenApiParameter("from", {"type": "string", "format": "date"},
                     description="First session date (YYYY-MM-DD, caller's timezone), included."),
    OpenApiParameter("to", {"type": "string", "format": "date"}, description="Last session date, included."),
]


def both(status_code, xml_schema, json_schema, description=""):
    """The same answer as XML (the default) and as JSON (when Accept prefers it)."""
    return {
        (status_code, XML): OpenApiResponse(ref("schemas", xml_schema), description),
        (status_code, JSON): OpenApiResponse(ref("schemas", json_schema), description),
    }


SESSION_BODY = {XML: ref("schemas", "CodebaseTimeSessionInputXML"), JSON: ref("schemas", "CodebaseTimeSessionInput")}
SESSION_RESPONSE = both(200, "CodebaseTimeSessionXML", "CodebaseTimeSession")
SESSION_CREATED = both(201, "CodebaseTimeSessionXML", "CodebaseTimeSession", "The new session.")
SESSION_LIST = both(200, "CodebaseTimeSessionListXML", "CodebaseTimeSessionList")
NO_BODY = {200: OpenApiResponse(description="Done; the body is empty.")}


class CodebaseSchema(AutoSchema):
    """Codebase's shapes: XML or JSON, ``<errors>`` (``{"errors": [...]}``), 404 with no body, 422 for bad bodies."""

    tag = "Codebase"
    error_statuses = ERRORS
    component_schemas = SCHEMAS

    def get_operation_id(self):
        tokens = [token.strip("{}") for token in self.path.strip("/").split("/")]
        return "_".join([*tokens, self.method.lower()])

    def _get_format_parameters(self):
        return []  # Codebase negotiates by the Accept header only

    def error_codes(self):
        codes = [400, 401, 403, 404]
        if self.method != "GET":
            codes += [409, 422]
        return [*codes, 429]

    def error_content(self, schema_name):
        return {XML: {"schema": self.schema_ref("CodebaseErrorsXML")}, JSON: {"schema": self.schema_ref("CodebaseErrors")}}

    def _get_response_bodies(self, direction="response"):
        for name in SCHEMAS:  # the views' bodies refer to them, and they to each other
            self.schema_ref(name)
        return super()._get_response_bodies(direction)
