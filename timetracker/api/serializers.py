"""Serializer building blocks shared by every v1 resource."""

import datetime
from collections.abc import Mapping

from django.db import models
from django.http import QueryDict
from rest_framework import serializers

from timetracker.dates import UTC_FORMAT, check_supported


class UTCDateTimeField(serializers.DateTimeField):
    """Instants render in UTC with a ``Z``, whatever the server's TIME_ZONE (``2024-01-15T14:30:00Z``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.timezone.utc)
        kwargs.setdefault("format", UTC_FORMAT)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        instant = super().to_internal_value(value)
        try:
            return check_supported(instant)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


def _choice_type(field):
    kinds = {type(key) for key in field.choices}
    return kinds.pop() if len(kinds) == 1 else None


def check_json_type(field, value) -> None:
    """Raise the field's own "invalid" error unless ``value`` has the JSON type the schema gives the field.

    DRF would read ``5`` as ``"5"`` for a text field, ``"5"`` as 5 and ``1`` as true; the OpenAPI schema
    promises clients the JSON types, so a body must use them (null is left to ``allow_null``). Amounts are
    the exception: a number or a decimal string.
    """
    if value is None:
        return
    if isinstance(field, serializers.BooleanField):
        expected, key = (bool,), "invalid"
    elif isinstance(field, serializers.ChoiceField) and _choice_type(field) in (str, int):
        expected, key = (_choice_type(field),), "invalid_choice"
    elif isinstance(field, serializers.CharField):
        expected, key = (str,), "invalid"
    elif isinstance(field, serializers.IntegerField):
        expected, key = (int,), "invalid"
    elif isinstance(field, serializers.DecimalField):
        expected, key = (int, float, str), "invalid"  # a decimal string ("12.50") keeps every digit
    elif isinstance(field, serializers.FloatField):
        expected, key = (int, float), "invalid"
    elif isinstance(field, serializers.PrimaryKeyRelatedField):
        expected, key = (int,), "incorrect_type"
    else:
        return
    if (isinstance(value, bool) and bool not in expected) or not isinstance(value, expected):
        if key not in field.error_messages:
            key = "invalid"
        field.fail(key, input=value, data_type=type(value).__name__)


class StrictJSONTypesMixin:
    # A JSON body must use the JSON types of the schema (see check_json_type). Form bodies (staff using the
    # browsable API) carry only strings and are left to the fields. (No docstring: the OpenAPI schema would
    # show it as every serializer's description.)

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors = {}
            for field in self._writable_fields:
                if field.field_name in data:
                    try:
                        check_json_type(field, data[field.field_name])
                    except serializers.ValidationError as exc:
                        errors[field.field_name] = exc.detail
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class APISerializer(StrictJSONTypesMixin, serializers.Serializer):
    pass  # the base of request bodies that are not a model's


class APIModelSerializer(StrictJSONTypesMixin, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


def required_name_kwargs(label="Name") -> dict:
    message = f"{label} is required"
    return {"error_messages": {"required": message, "blank": message, "null": message}}


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object's id: a whole number; ``1.5``, ``true`` or ``"abc"`` are refused rather than rounded or
    guessed (and in JSON bodies ``"5"`` too: see ``check_json_type``)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (isinstance(data, int) or (isinstance(data, str) and data.isdigit())):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def related_id_field(*, source, queryset, label, field_class=IdField, **kwargs):
    """A ``<thing>_id`` field: the related object's primary key in and out, with a clear error."""
    messages = {
        "does_not_exist": f"{label} {{pk_value}} does not exist.",
        "incorrect_type": f"{source}_id must be an integer.",
        "required": f"{source}_id is required",
        "null": f"{source}_id is required",
    }
    return field_class(source=source, queryset=queryset, error_messages=messages, **kwargs)
