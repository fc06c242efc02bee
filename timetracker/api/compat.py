"""The base of the compatibility APIs (Teamwork, Codebase): v1's tokens and scopes, the peer's error shape."""

from rest_framework import exceptions, status
from rest_framework.views import set_rollback

from .base import APIView

from .exceptions import as_api_exception, error_headers, log_unexpected, validation_errors


class BadParameter(exceptions.APIException):
    """A query parameter the peer's clients would get a 400 for."""

    status_code = status.HTTP_400_BAD_REQUEST


class UnprocessableEntity(exceptions.APIException):
    """A body that cannot be read, or a change that breaks a rule (Rails' 422)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def error_messages(exc) -> list[str]:
    """Human-readable messages of an exception, without v1's field keys."""
    if isinstance(exc, exceptions.ValidationError):
        return [message for messages in validation_errors(exc.detail).values() for message in messages]
    return [str(exc.detail)]


class CompatAPIView(APIView):
    """One route of a compatibility API.

    Authentication and scope checks are v1's (tokens by Basic, Bearer or X-API-Key); every error is
    rendered by ``render_error`` in the peer's own shape. Validation errors (a rule an entry breaks)
    are 422, as Rails-era APIs answer.
    """

    scope_resource = "time_entries"

    def render_error(self, status_code: int, messages: list[str]):
        raise NotImplementedError

    def get_authenticate_header(self, request):
        return 'Basic realm="TimeTracker"'

    def get_exception_handler(self):
        return self.handle_compat_exception

    def handle_compat_exception(self, exc, context):
        api_exc = as_api_exception(exc)
        if api_exc is None:
            log_unexpected(exc)
            status_code, messages = status.HTTP_500_INTERNAL_SERVER_ERROR, ["An unexpected error occurred."]
        elif isinstance(api_exc, exceptions.ValidationError):
            status_code, messages = status.HTTP_422_UNPROCESSABLE_ENTITY, error_messages(api_exc)
        else:
            status_code, messages = api_exc.status_code, error_messages(api_exc)
        set_rollback()
        response = self.render_error(status_code, messages)
        for header, value in error_headers(api_exc).items():
            response[header] = value
        return response
