"""Filters shared by v1 filtersets; invalid values give 400, never a silently ignored filter."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from timetracker.dates import parse_date_or_datetime

# Ids are 64-bit integers in the database; a larger number can match nothing and must not reach SQL.
MAX_ID = 2**63 - 1

# How the OpenAPI schema describes these filters (and the same parameters of hand-written views).
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": -MAX_ID, "maximum": MAX_ID}
BOOLEAN_SCHEMA = {"type": "boolean", "description": "true or false (also 1/0, yes/no)."}
DATE_OR_DATETIME_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    "description": "An ISO 8601 date (`2024-01-15`) or datetime (`2024-01-15T09:00:00Z`; without an offset it "
                   "is read in the user's timezone), years 1900–9998.",
}
COMMA_LIST_SCHEMA = {"type": "string", "description": "Comma-separated names; an entry matches any of them."}

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=-MAX_ID, max_value=MAX_ID, **kwargs)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """An integer id (``1.5`` or ``abc`` → 400)."""

    field_class = IdField


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError("Use true or false.")


@extend_schema_field(BOOLEAN_SCHEMA)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class DateOrDateTimeField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_date_or_datetime(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


@extend_schema_field(DATE_OR_DATETIME_SCHEMA)
class DateOrDateTimeFilter(django_filters.Filter):
    """An ISO date or datetime; the filterset's method turns it into an instant in the user's timezone."""

    field_class = DateOrDateTimeField


class CommaListField(forms.CharField):
    def to_python(self, value):
        return [item.strip() for item in (value or "").split(",") if item.strip()]


@extend_schema_field(COMMA_LIST_SCHEMA)
class CommaListFilter(django_filters.Filter):
    """``a,b,c`` → ``["a", "b", "c"]`` for the filterset's method; an empty list filters nothing."""

    field_class = CommaListField
