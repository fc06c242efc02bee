"""Domain errors raised by services, independent of any wire format.

Field-level input problems are ``django.core.exceptions.ValidationError`` (keyed by the v1 field
name); the rest are ``DomainError`` subclasses carrying an HTTP status and a machine-readable code.
Each API renders them in its own error shape.
"""


class DomainError(Exception):
    status_code = 400
    error_code = "bad_request"
    error = "Bad request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(DomainError):
    status_code = 403
    error_code = "forbidden"
    error = "Forbidden"


class Conflict(DomainError):
    status_code = 409
    error_code = "conflict"
    error = "Conflict"
