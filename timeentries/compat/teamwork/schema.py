"""How the OpenAPI schema describes the Teamwork-compatible API: Teamwork's JSON, its errors and parameters."""

from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from timetracker.api.schema import AutoSchema, ref, string

STRING = {"type": "string"}
ID_STRING = {"type": "string", "description": "An id, as a string; empty when there is none."}


def obj(properties: dict, description=None) -> dict:
    return {
        "type": "object", "properties": properties, "required": list(properties),
        **({"description": description} if description else {}),
    }


def ok(**properties) -> dict:
    return obj({"STATUS": {"type": "string", "enum": ["OK"]}, **properties})


TIME_TOTALS = obj({
    f"{name}-{unit}-sum": {"type": "string", "description": f"{name} time in {unit}"}
    for name in ("total", "billable", "non-billable", "billed", "non-billed") for unit in ("mins", "hours")
}, "Minutes as whole numbers and hours with two decimals, as strings.")
TIME_ESTIMATES = obj({
    f"{name}-{unit}-estimated": {"type": "string"}
    for name in ("total", "active", "completed") for unit in ("mins", "hours")
}, "Tasks' estimates: active = not done, completed = done.")
COMPANY = obj({"id": ID_STRING, "name": STRING})
TAG = obj({"id": STRING, "name": STRING, "color": STRING})

TIME_ENTRY = obj({
    **{key: ID_STRING for key in ("id", "project-id", "company-id", "person-id", "todo-item-id", "todo-list-id",
                                  "ticket-id")},
    "project-name": STRING,
    "project-status": {"type": "string", "enum": ["active", "archived"]},
    "company-name": STRING,
    "person-first-name": STRING,
    "person-last-name": STRING,
    "description": STRING,
    "date": string("The start, in UTC.", format="date-time"),
    "dateUserPerspective": string("The start in the caller's timezone, written with a Z."),
    "has-start-time": {"type": "string", "enum": ["0", "1"]},
    "hours": string("Whole hours of the duration."),
    "minutes": string("Minutes past the whole hours."),
    "hoursDecimal": {"type": "number"},
    "isbillable": {"type": "string", "enum": ["0", "1"]},
    "isbilled": {"type": "string", "enum": ["0", "1"]},
    "invoiceNo": STRING,
    "todo-item-name": STRING,
    "todo-list-name": STRING,
    "tags": {"type": "array", "items": ref("schemas", "TeamworkTag")},
    "canEdit": {"type": "boolean"},
    "createdAt": string(format="date-time"),
    "updated-date": string(format="date-time"),
})

WHOLE_NUMBER = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\s*[0-9]+\s*$"}],
}
FLAG = {"oneOf": [{"type": "boolean"}, {"type": "integer", "enum": [0, 1]},
                  {"type": "string", "enum": ["1", "0", "true", "false", "yes", "no"]}]}
TIME_ENTRY_INPUT = {
    "type": "object",
    "properties": {
        "description": STRING,
        "date": string("YYYYMMDD in the person's timezone; default today.", pattern=r"^[0-9]{8}$"),
        "time": string("HH:MM local start; without it the entry starts at midnight.",
                       pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
        "hours": WHOLE_NUMBER,
        "minutes": WHOLE_NUMBER,
        "isbillable": FLAG,
        "tags": string("Comma-separated tag names."),
        "person-id": {**WHOLE_NUMBER, "description": "The person to log for (another person needs an admin)."},
        "project-id": {**WHOLE_NUMBER, "description": "Moves the entry (updates only)."},
    },
}
ERROR = obj({"MESSAGE": STRING, "STATUS": {"type": "string", "enum": ["Error"]}})

SCHEMAS = {
    "TeamworkError": ERROR,
    "TeamworkOK": ok(),
    "TeamworkTag": TAG,
    "TeamworkCompany": COMPANY,
    "TeamworkTimeTotals": TIME_TOTALS,
    "TeamworkTimeEstimates": TIME_ESTIMATES,
    "TeamworkTimeEntry": TIME_ENTRY,
    "TeamworkTimeEntryList": ok(**{"time-entries": {"type": "array", "items": ref("schemas", "TeamworkTimeEntry")}}),
    "TeamworkTimeEntryEnvelope": ok(**{"time-entry": ref("schemas", "TeamworkTimeEntry")}),
    "TeamworkTimeEntryInput": obj({"time-entry": ref("schemas", "TeamworkTimeEntryInputFields")}),
    "TeamworkTimeEntryInputFields": TIME_ENTRY_INPUT,
    "TeamworkTimeLogged": ok(timeLogId=ID_STRING),
    "TeamworkTaskTimeLogged": ok(id=ID_STRING),
    "TeamworkTimeTotalsResponse": ok(**{"time-totals": ref("schemas", "TeamworkTimeTotals")}),
}
_TOTALS = {"time-totals": ref("schemas", "TeamworkTimeTotals"), "time-estimates": ref("schemas", "TeamworkTimeEstimates")}
_PROJECT = {"id": ID_STRING, "name": STRING, "company": ref("schemas", "TeamworkCompany")}
SCHEMAS.update({
    "TeamworkProjectTimeTotals": ok(projects={"type": "array", "items": obj({**_PROJECT, **_TOTALS})}),
    "TeamworkTasklistTimeTotals": ok(projects={"type": "array", "items": obj({
        **_PROJECT, "tasklist": obj({"id": ID_STRING, "name": STRING, **_TOTALS}),
    })}),
    "TeamworkTaskTimeTotals": ok(projects={"type": "array", "items": obj({
        **_PROJECT, "tasklist": obj({"id": ID_STRING, "name": STRING, "task": obj({"id": ID_STRING, "name": STRING,
                                                                                   **_TOTALS})}),
    })}),
    "TeamworkProjectsTimeTotals": ok(projects={"type": "array", "items": obj({
        **_PROJECT,
        **{key: STRING for key in ("totalMins", "totalBillableMins", "totalNonBillableMins", "totalHours",
                                   "totalBillableHours", "totalNonBillableHours")},
    })}),
})

PAGE_HEADERS = {
    "X-Page": "This page's number.",
    "X-Pages": "Number of pages (0 without records).",
    "X-Records": "Records on all pages.",
}
HEADERS = {
    **{name: {"description": text, "schema": {"type": "integer"}} for name, text in PAGE_HEADERS.items()},
    "ETag": {"description": "Send it back in If-None-Match to get a 304 while nothing changed.",
             "schema": {"type": "string"}},
    "id": {"description": "The new time entry's id.", "schema": {"type": "string"}},
    "Location": {"description": "The new time entry's URL.", "schema": {"type": "string"}},
}

ERRORS = {
    400: ("TeamworkBadRequest", "A bad query parameter.", "TeamworkError", []),
    401: ("TeamworkUnauthorized", "No valid token (`WWW-Authenticate: Basic`).", "TeamworkError",
          ["WWW-Authenticate"]),
    403: ("TeamworkForbidden", "The token lacks the scope, or a non-admin books for another person.",
          "TeamworkError", []),
    404: ("TeamworkNotFound", "Unknown id, or another user's entry.", "TeamworkError", []),
    409: ("TeamworkConflict", "A concurrent change won.", "TeamworkError", []),
    422: ("TeamworkUnprocessable", "Unreadable JSON, no `time-entry` wrapper, a bad field, or a rule the entry "
                                   "breaks (e.g. an archived project).", "TeamworkError", []),
    429: ("TeamworkRateLimited", "Too many requests; retry after `Retry-After` seconds.", "TeamworkError",
          ["Retry-After"]),
}


def _parameter(name, schema, description):
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description)


DATE = {"type": "string", "pattern": r"^[0-9]{8}$"}
TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}
FILTER_PARAMETERS = [
    _parameter("fromdate", DATE, "First day (YYYYMMDD, caller's timezone)."),
    _parameter("fromtime", TIME, "With fromdate: first minute (HH:MM)."),
    _parameter("todate", DATE, "Last day (YYYYMMDD), included."),
    _parameter("totime", TIME, "With todate: entries starting up to this minute (HH:MM)."),
    _parameter("userId", {"type": "integer", "minimum": 0}, "Only this user's time (0: everyone)."),
    _parameter("projectType", {"type": "string", "enum": ["all", "active", "archived"]}, "Default all."),
]
PAGE_PARAMETERS = [
    _parameter("page", {"type": "integer", "minimum": 1}, "Page number from 1."),
    _parameter("pageSize", {"type": "integer", "minimum": 1}, "Records per page (larger values are clamped)."),
]
ACCOUNT_LIST_PARAMETERS = [
    *FILTER_PARAMETERS,
    *PAGE_PARAMETERS,
    _parameter("billableType", {"type": "string", "enum": ["all", "billable", "nonbillable"]}, "Default all."),
    _parameter("invoicedType", {"type": "string", "enum": ["all", "invoiced", "noninvoiced"]}, "Default all."),
    _parameter("showDeleted", {"type": "boolean"}, "Include deleted entries."),
    _parameter("tagIds", {"type": "string", "pattern": r"^-?[0-9]+(,-?[0-9]+)*$"}, "Comma-separated tag ids (any)."),
    _parameter("updatedAfterDate", {"type": "string", "pattern": r"^[0-9]{14}$"},
               "Only entries changed after this UTC instant (YYYYMMDDHHMMSS)."),
    _parameter("sortby", {"type": "string", "enum": ["date", "user", "task", "tasklist", "project", "company",
                                                     "dateupdated"]}, "Default date."),
    _parameter("sortorder", {"type": "string", "enum": ["asc", "desc"]}, "Default asc."),
    _parameter("projectId", {"type": "integer", "minimum": 0}, "Only this project's time (account-wide list)."),
]


def response(schema_name, description=""):
    """A Teamwork response body for ``@extend_schema(responses=...)``."""
    return OpenApiResponse(ref("schemas", schema_name), description)


TIME_ENTRY_BODY = {"application/json": ref("schemas", "TeamworkTimeEntryInput")}


class TeamworkSchema(AutoSchema):
    """Teamwork's shapes: ``STATUS`` envelopes, ``{"MESSAGE", "STATUS"}`` errors (422 for bad bodies)."""

    tag = "Teamwork"
    error_statuses = ERRORS
    component_schemas = SCHEMAS

    def get_operation_id(self):
        tokens = [token.strip("{}") for token in self.path.removesuffix(".json").strip("/").split("/")]
        return "_".join([*tokens, self.method.lower()])

    def error_codes(self):
        codes = [400, 401, 403]
        if "{" in self.path:
            codes.append(404)
        if self.has_body or self.method == "DELETE":
            codes += [409, 422]
        return [*codes, 429]

    def _get_response_bodies(self, direction="response"):
        for name in SCHEMAS:  # the views' bodies refer to them, and they to each other
            self.schema_ref(name)
        responses = super()._get_response_bodies(direction)
        ok = responses.get("200") or responses.get("201")
        if direction == "response" and ok is not None:
            headers = ok.setdefault("headers", {})
            for name in self.success_headers():
                headers[name] = self.register(ResolvedComponent.HEADER, f"Teamwork{name}", HEADERS[name])
            if self.method == "GET":
                responses["304"] = {"description": "Not modified: If-None-Match matched the ETag."}
        return responses

    def success_headers(self):
        headers = []
        if self.method == "GET":
            headers.append("ETag")
            if any(param.name == "pageSize" for param in self.get_override_parameters()
                   if isinstance(param, OpenApiParameter)):
                headers += list(PAGE_HEADERS)
        if self.method == "POST":
            headers += ["id", "Location"]
        return headers

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET":
            parameters = [*parameters, OpenApiParameter(
                "If-None-Match", str, OpenApiParameter.HEADER, description="An ETag from an earlier answer.")]
        return parameters
