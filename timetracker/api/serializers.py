"""Serializer building blocks shared by every v1 resource."""

import datetime

from django.db import models
from rest_framework import serializers

from timetracker.dates import check_supported


class UTCDateTimeField(serializers.DateTimeField):
    """Instants render in UTC with a ``Z``, whatever the server's TIME_ZONE (``2024-01-15T14:30:00Z``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.timezone.utc)
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M:%SZ")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        instant = super().to_internal_value(value)
        try:
            return check_supported(instant)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class APIModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


def required_name_kwargs(label="Name") -> dict:
    message = f"{label} is required"
    return {"error_messages": {"required": message, "blank": message, "null": message}}


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object's id: a whole number (``5`` or ``"5"``); ``1.5``, ``true`` or ``"abc"`` are refused
    rather than rounded or guessed."""

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
