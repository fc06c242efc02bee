"""Filters shared by v1 filtersets; invalid values give 400, never a silently ignored filter."""

import django_filters
from django import forms

from timetracker.dates import parse_date_or_datetime

# Ids are 64-bit integers in the database; a larger number can match nothing and must not reach SQL.
MAX_ID = 2**63 - 1

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=-MAX_ID, max_value=MAX_ID, **kwargs)


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


class DateOrDateTimeFilter(django_filters.Filter):
    """An ISO date or datetime; the filterset's method turns it into an instant in the user's timezone."""

    field_class = DateOrDateTimeField


class CommaListField(forms.CharField):
    def to_python(self, value):
        return [item.strip() for item in (value or "").split(",") if item.strip()]


class CommaListFilter(django_filters.Filter):
    """``a,b,c`` → ``["a", "b", "c"]`` for the filterset's method; an empty list filters nothing."""

    field_class = CommaListField
