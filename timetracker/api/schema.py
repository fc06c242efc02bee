"""The OpenAPI description of the APIs (drf-spectacular), derived from the views in one place.

``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``) adds what every operation shares, so viewsets stay declarative:

- the v1 envelopes of a ``ResourceViewSet`` (``{"project": …}``, ``{"message", "project"}``, ``{"message"}``)
  and, through ``PagePagination``, the resource-named list with its ``pagination`` object;
- the scope an operation needs (``HasScope``'s rule: ``scope_resource`` and the method), in the
  description and as ``x-required-scope``;
- the error responses the plumbing can give (400, 401, 403, 404, 409, 415, 422, 429), as shared components;
- the rate-limit headers, and links from a create to the operations on the new id;
- the security schemes of the two authentication classes (extensions below).

The compatibility APIs subclass it (``tag``, ``error_statuses``, ``error_codes``) in their own ``schema``
modules. Hand-written views describe their bodies with ``@extend_schema`` next to the code.
"""

import copy
import inspect
from decimal import Decimal

import uritemplate
from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent, force_instance, is_serializer
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from .filters import DATE_OR_DATETIME_SCHEMA, ID_SCHEMA
from .idempotency import MAX_KEY_LENGTH, IdempotentCreateMixin
from .pagination import PAGINATION_SCHEMA
from .permissions import HasScope, required_scope
from .viewsets import ResourceViewSet


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def string(description=None, **extra) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **extra}


# Schemas of query parameters that hand-written views read with timetracker.api.params, like the filters'.
ID_PARAMETER_SCHEMA = ID_SCHEMA
DATE_OR_DATETIME = DATE_OR_DATETIME_SCHEMA

# The v1 error shape (timetracker.api.exceptions): every error has error, message and error_code.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": string("A short, user-facing title."),
        "message": string("What went wrong."),
        "error_code": string("Machine-readable: validation_error, bad_request, unauthorized, forbidden, "
                             "not_found, conflict, rate_limited, …"),
    },
    "required": ["error", "message", "error_code"],
}
VALIDATION_ERROR_SCHEMA = {
    "allOf": [
        ref("schemas", "Error"),
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "object",
                    "description": "Messages per field or query parameter (with error_code validation_error; "
                                   "a body that is not JSON is a bad_request without it).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    ]
}
SCOPE_ERROR_SCHEMA = {
    "allOf": [
        ref("schemas", "Error"),
        {
            "type": "object",
            "properties": {
                "required_scope": string("The scope the token lacks (only when a scope is missing)."),
                "available_scopes": {"type": "array", "items": {"type": "string"},
                                     "description": "The token's scopes (only when a scope is missing)."},
            },
        },
    ]
}
# What a decimal string looks like to Python's Decimal (range and precision are the number's).
DECIMAL_STRING = r"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
MESSAGE_SCHEMA = {"type": "object", "properties": {"message": string()}, "required": ["message"]}

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": ("integer", "Requests allowed in the window nearest to running out."),
    "X-RateLimit-Remaining": ("integer", "Requests left in that window."),
    "X-RateLimit-Reset": ("integer", "Unix time at which that window starts afresh."),
}
HEADERS = {
    **{name: {"description": text, "schema": {"type": kind}} for name, (kind, text) in RATE_LIMIT_HEADERS.items()},
    "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}},
    "WWW-Authenticate": {"description": "The authentication scheme to use.", "schema": {"type": "string"}},
}


def _json(schema_name):
    return {"application/json": {"schema": ref("schemas", schema_name)}}


# v1's error responses, by status code: (component name, description, schema component, headers).
V1_ERRORS = {
    400: ("BadRequest", "Invalid input: `validation_error` with `errors` per field or parameter, or "
                        "`bad_request` (e.g. a body that is not JSON).", "ValidationError", []),
    401: ("Unauthorized", "No token, or an invalid, expired or revoked one (`unauthorized`).", "Error",
          ["WWW-Authenticate"]),
    403: ("Forbidden", "The token lacks the scope (`forbidden` with `required_scope` and `available_scopes`), "
                       "or the user may not see another user's data.", "ScopeError", []),
    404: ("NotFound", "No such resource, or one the user may not see (`not_found`).", "Error", []),
    409: ("Conflict", "A concurrent change won (`conflict`), or a timer is already running.", "Error", []),
    415: ("UnsupportedMediaType", "The body is not JSON (`unsupported_media_type`).", "Error", []),
    422: ("IdempotencyKeyReused", "The Idempotency-Key was used for a different request "
                                  "(`idempotency_key_reused`).", "Error", []),
    429: ("RateLimited", "Too many requests (`rate_limited`); retry after `Retry-After` seconds.", "Error",
          ["Retry-After", *RATE_LIMIT_HEADERS]),
}
V1_SCHEMAS = {
    "Error": ERROR_SCHEMA, "ValidationError": VALIDATION_ERROR_SCHEMA, "ScopeError": SCOPE_ERROR_SCHEMA,
    "Message": MESSAGE_SCHEMA, "Pagination": PAGINATION_SCHEMA,
}


ACTION_SUMMARIES = {
    "list": "List {items}",
    "create": "Create {a}",
    "retrieve": "Get {a}",
    "update": "Update {a}",
    "partial_update": "Update {a} (PATCH)",
    "destroy": "Delete {a}",
}


class AutoSchema(SpectacularAutoSchema):
    """v1's schema rules; see the module docstring."""

    tag = None  # one tag for every operation of the view's API (the compatibility APIs set it)
    error_statuses = V1_ERRORS
    component_schemas = V1_SCHEMAS

    # Components

    def register(self, kind, name, schema) -> dict:
        # A copy: the postprocessing hooks rewrite components in place (enums become $refs), and the
        # constants must stay intact for the next generation.
        self.registry.register_on_missing(ResolvedComponent(
            name=name, type=kind, schema=copy.deepcopy(schema), object=ComponentIdentity(f"{kind}:{name}")
        ))
        return ref(kind, name)

    def schema_ref(self, name) -> dict:
        return self.register(ResolvedComponent.SCHEMA, name, self.component_schemas[name])

    def header_ref(self, name) -> dict:
        return self.register(ResolvedComponent.HEADER, name, HEADERS[name])

    def error_response_ref(self, status_code) -> dict:
        name, description, schema_name, headers = self.error_statuses[status_code]
        response = {"description": description}
        if schema_name:
            response["content"] = self.error_content(schema_name)
        if headers:
            response["headers"] = {header: self.header_ref(header) for header in headers}
        return self.register(ResolvedComponent.RESPONSE, name, response)

    def error_content(self, schema_name) -> dict:
        return {"application/json": {"schema": self.schema_ref(schema_name)}}

    # What the view does

    @property
    def authenticated(self) -> bool:
        return bool(self.view.get_authenticators())

    @property
    def has_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    def scope_resources(self) -> list[str]:
        """The resources whose scope grants this operation (HasScope's rule), none for an open view."""
        if not any(isinstance(permission, HasScope) for permission in self.view.get_permissions()):
            return []
        resource = getattr(self.view, "scope_resource", None)
        return [resource, *getattr(self.view, "scope_resource_aliases", ())] if resource else []

    def required_scopes(self) -> list[str]:
        return [required_scope(resource, self.method) for resource in self.scope_resources()]

    def error_codes(self) -> list[int]:
        """The errors the shared plumbing can answer this operation with."""
        view, codes = self.view, [400]  # any malformed parameter or body (even a NUL in the query string)
        if self.authenticated:
            codes.append(401)
        if self.required_scopes() or not any(
            isinstance(permission, permissions.AllowAny) for permission in view.get_permissions()
        ):
            codes.append(403)
        if uritemplate.variables(self.path):
            codes.append(404)
        if self.method not in permissions.SAFE_METHODS:
            codes.append(409)
        if self.has_body:
            codes.append(415)
        if self.idempotent_create:
            codes.append(422)
        if getattr(view, "rate_limited", False):
            codes.append(429)
        return codes

    @property
    def idempotent_create(self) -> bool:
        return isinstance(self.view, IdempotentCreateMixin) and getattr(self.view, "action", None) == "create"

    # Operation parts

    def get_tags(self):
        if self.tag:
            return [self.tag]
        path = self.path.removeprefix("/api/v1/")
        segment = path.split("/")[0]
        if segment in ("info", "health"):
            return ["Service"]
        return [segment.replace("-", " ").capitalize()]

    def get_summary(self):
        action = getattr(self.view, "action", None)
        if isinstance(self.view, ResourceViewSet) and action in ACTION_SUMMARIES:
            noun = self.view.noun.lower()
            return ACTION_SUMMARIES[action].format(
                items=self.view.list_key.replace("_", " "), a=f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
            )
        return super().get_summary()

    def get_description(self):
        # Only the view's and the handler's own docstrings: the base classes' describe plumbing, not the API.
        view_class = type(self.view)
        handler = getattr(view_class, getattr(self.view, "action", None) or self.method.lower(), None)
        handler_doc = None
        if handler is not None and not handler.__module__.startswith(("rest_framework", "timetracker.api")):
            handler_doc = handler.__doc__
        docs = [inspect.cleandoc(doc) for doc in (view_class.__dict__.get("__doc__"), handler_doc) if doc]
        description = "\n\n".join(dict.fromkeys(docs))
        scopes = self.required_scopes()
        if scopes:
            needed = " or ".join(f"`{scope}`" for scope in scopes)
            description = f"{description}\n\n**Required scope:** {needed}".strip()
        elif not self.authenticated:
            description = f"{description}\n\nNo authentication required.".strip()
        return description

    def get_extensions(self):
        extensions = super().get_extensions()
        scopes = self.required_scopes()
        if scopes:
            extensions = {**extensions, "x-required-scope": scopes[0]}
            if len(scopes) > 1:
                extensions["x-accepted-scopes"] = scopes
        return extensions

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.idempotent_create:
            parameters = [*parameters, OpenApiParameter(
                "Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
                                    "pattern": r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"},
                OpenApiParameter.HEADER, required=False,
                description="Replays the first successful response for the same key (per token, 24 hours) "
                            "instead of creating again.",
            )]
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(field, serializers.DecimalField) and not field.read_only
                and schema.get("type") == "number"):
            # An amount is a JSON number with at most decimal_places decimals, or the same as a decimal string.
            outer = {key: schema.pop(key) for key in ("nullable", "description", "default") if key in schema}
            if field.decimal_places is not None:
                schema["multipleOf"] = float(Decimal(1).scaleb(-field.decimal_places))
            schema = {"oneOf": [schema, {"type": "string", "pattern": DECIMAL_STRING}], **outer}
        return schema

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # Every API reads an empty query parameter (`?status=`) as one not given.
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def get_request_serializer(self):
        serializer = super().get_request_serializer()
        if self.method == "PUT" and isinstance(self.view, ResourceViewSet) and is_serializer(serializer):
            serializer = copy.copy(force_instance(serializer))
            serializer.partial = True  # PUT takes a partial body too (docs/api.md), like PATCH
        return serializer

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        view = self.view
        if not isinstance(view, ResourceViewSet) or not is_serializer(serializer):
            return serializer
        action = view.action
        if action == "list":
            return serializer  # paginated by PagePagination under list_key
        if action == "destroy":
            return {200: self.schema_ref("Message")}
        item = self.resolve_serializer(serializer, "response")
        if action == "retrieve":
            envelope = {"type": "object", "properties": {view.item_key: item.ref}, "required": [view.item_key]}
            return {200: self.register(ResolvedComponent.SCHEMA, f"{item.name}Envelope", envelope)}
        written = {
            "type": "object",
            "properties": {"message": string(), view.item_key: item.ref},
            "required": ["message", view.item_key],
        }
        return {201 if action == "create" else 200: self.register(ResolvedComponent.SCHEMA, f"{item.name}Saved", written)}

    def _get_paginator(self):
        paginator = super()._get_paginator()
        if paginator is not None and hasattr(paginator, "list_key"):
            self.schema_ref("Pagination")
            paginator.list_key = getattr(self.view, "list_key", paginator.list_key)
        return paginator

    def get_paginated_name(self, serializer_name):
        return f"{serializer_name}List"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        rate_limit_headers = getattr(self.view, "rate_limited", False) and self.authenticated
        for code, response in responses.items():
            if rate_limit_headers and code.startswith("2"):
                response.setdefault("headers", {}).update(
                    {header: self.header_ref(header) for header in RATE_LIMIT_HEADERS}
                )
        links = self.resource_links()
        for code, response in responses.items():
            if links and code.startswith("2"):
                response["links"] = links
        for status_code in self.error_codes():
            responses.setdefault(str(status_code), self.error_response_ref(status_code))
        return responses

    def resource_links(self) -> dict:
        """OpenAPI links from a resource's create (and list) to the operations on one of them, so clients and
        stateful tests know where the id goes."""
        view, action = self.view, getattr(self.view, "action", None)
        if not isinstance(view, ResourceViewSet) or action not in ("create", "list"):
            return {}
        prefix = self.get_operation_id().removesuffix(f"_{action}")
        pointer = f"/{view.item_key}/id" if action == "create" else f"/{view.list_key}/0/id"
        return {
            f"{name}{view.item_key.title().replace('_', '')}": {
                "operationId": f"{prefix}_{target}", "parameters": {"id": f"$response.body#{pointer}"},
            }
            for name, target in (("Get", "retrieve"), ("Update", "partial_update"), ("Delete", "destroy"))
        }


# Authentication schemes, so Swagger UI's "Authorize" offers each way to send a token.


class APITokenScheme(OpenApiAuthenticationExtension):
    """``tt_`` tokens: ``Authorization: Bearer``, ``X-API-Key``, or HTTP Basic (the compatibility APIs)."""

    target_class = "timetracker.api.authentication.APITokenAuthentication"
    name = ["bearerAuth", "apiKeyAuth", "basicAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "tt_<32 characters>",
             "description": "An API token: `Authorization: Bearer tt_…`."},
            {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "An API token in `X-API-Key`."},
            {"type": "http", "scheme": "basic",
             "description": "Teamwork and Codebase clients: the token as the username (Teamwork) or the "
                            "password (Codebase)."},
        ]

    def get_security_requirement(self, auto_schema):
        requirements = [{"bearerAuth": []}, {"apiKeyAuth": []}]
        if auto_schema.tag:  # a compatibility API
            requirements.append({"basicAuth": []})
        return requirements


class StaffSessionScheme(OpenApiAuthenticationExtension):
    """Staff logged in to the admin may use their session (the browsable API)."""

    target_class = "timetracker.api.authentication.StaffSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "A staff member's admin session (unsafe methods also need the CSRF token)."}


def strip_trailing_slashes(endpoints, **kwargs):
    """Preprocessing hook: routes answer with and without a trailing slash; the spec writes them without."""
    return [
        (path.rstrip("/") if path != "/" else path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
    ]
