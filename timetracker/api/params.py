"""Reading query parameters of hand-written views; a bad value is a 400 naming the parameter."""

from rest_framework.exceptions import ValidationError

from timetracker.dates import parse_date_or_datetime

from .filters import MAX_ID


def _invalid(name, message):
    return ValidationError({name: [message]})


def int_param(request, name, default=None, *, minimum=None):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(name, f"{name} must be an integer.") from None
    if abs(value) > MAX_ID:
        raise _invalid(name, f"{name} is out of range.")
    if minimum is not None and value < minimum:
        raise _invalid(name, f"{name} must be at least {minimum}.")
    return value


def positive_int_param(request, name, default):
    raw = request.query_params.get(name)
    if raw in (None, ""):  # like every other parameter, an empty one counts as not given
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise _invalid(name, f"{name} must be a positive integer.")
    return value


def date_or_datetime_param(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse_date_or_datetime(raw)
    except ValueError as exc:
        raise _invalid(name, str(exc)) from None


def comma_list_param(request, name) -> list[str]:
    return [item.strip() for item in request.query_params.get(name, "").split(",") if item.strip()]
