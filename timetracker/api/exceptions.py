"""The v1 error shape: every error is JSON with ``error``, ``message`` and ``error_code``.

One exception handler builds it for every DRF view; ``error_response`` builds it for the few
places outside DRF (unknown URLs, Django's own 404/500 handlers).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django_ratelimit.exceptions import Ratelimited
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from timetracker.errors import DomainError

logger = logging.getLogger("timetracker.api")

TITLES = {
    400: ("Bad request", "bad_request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not found", "not_found"),
    405: ("Method not allowed", "method_not_allowed"),
    406: ("Not acceptable", "not_acceptable"),
    409: ("Conflict", "conflict"),
    415: ("Unsupported media type", "unsupported_media_type"),
    429: ("Too many requests", "rate_limited"),
    500: ("Internal server error", "internal_error"),
    503: ("Service unavailable", "unavailable"),
}


class APIError(exceptions.APIException):
    """An error with its own ``error_code`` and extra body keys."""

    error = None
    error_code = None

    def __init__(self, detail=None, *, status_code=None, error=None, error_code=None, **extra):
        super().__init__(detail)
        if status_code is not None:
            self.status_code = status_code
        self.error = error or self.error
        self.error_code = error_code or self.error_code
        self.extra = extra


def error_body(status_code, message, *, error=None, error_code=None, **extra) -> dict:
    title, code = TITLES.get(status_code, ("Error", "error"))
    return {"error": error or title, "message": message, "error_code": error_code or code, **extra}


def error_response(status_code, message, **kwargs) -> JsonResponse:
    return JsonResponse(error_body(status_code, message, **kwargs), status=status_code)


def validation_errors(detail) -> dict[str, list[str]]:
    """DRF's error detail flattened to ``{field: [messages]}`` (nested fields joined with dots)."""
    if not isinstance(detail, dict):
        detail = {"non_field_errors": detail}
    errors = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}", item)
        else:
            items = value if isinstance(value, list) else [value]
            errors.setdefault(prefix, []).extend(str(item) for item in items)

    walk("", detail)
    return errors


def _message(detail) -> str:
    if isinstance(detail, (list, dict)):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in validation_errors(detail).items())
    return str(detail)


def as_api_exception(exc):
    """Django, domain and database errors as the DRF exception a client should see; None if unexpected."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, Ratelimited):  # before PermissionDenied, which it extends
        return exceptions.Throttled(wait=getattr(exc, "wait", None))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DomainError):
        return APIError(exc.message, status_code=exc.status_code, error=exc.error, error_code=exc.error_code)
    if isinstance(exc, DataError):
        # Input the database cannot store (a NUL character, a number out of its range).
        return APIError("The request contains a value the database cannot store.", status_code=400)
    if isinstance(exc, IntegrityError):
        # A concurrent write won a uniqueness race the validators had checked a moment before.
        return APIError("The change conflicts with the current data; reload and retry.", status_code=409)
    if isinstance(exc, exceptions.APIException):
        return exc
    return None


def error_headers(exc) -> dict[str, str]:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return headers


def log_unexpected(exc):
    logger.exception("Unhandled error in API view", exc_info=exc)


def api_exception_handler(exc, context):
    api_exc = as_api_exception(exc)
    if api_exc is None:
        log_unexpected(exc)
        code = status.HTTP_500_INTERNAL_SERVER_ERROR
        body = error_body(code, "An unexpected error occurred. It has been logged.")
    elif isinstance(api_exc, exceptions.ValidationError):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body(
            code, "Validation failed", error="Validation failed", error_code="validation_error",
            errors=validation_errors(api_exc.detail),
        )
    else:
        code = api_exc.status_code
        body = error_body(
            code, _message(api_exc.detail), error=getattr(api_exc, "error", None),
            error_code=getattr(api_exc, "error_code", None), **getattr(api_exc, "extra", {}),
        )

    set_rollback()
    _render_as_json_unless_staff_browsing(context.get("request"))
    return Response(body, status=code, headers=error_headers(api_exc))


def _render_as_json_unless_staff_browsing(request):
    # Errors are JSON for API clients even when their Accept header prefers HTML; only a
    # staff member browsing the API in the admin session sees them in the browsable page.
    from .authentication import StaffSessionAuthentication

    if request is None or isinstance(getattr(request, "_authenticator", None), StaffSessionAuthentication):
        return
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = JSONRenderer.media_type
