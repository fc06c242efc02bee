"""Serializer building blocks shared by every v1 resource."""

import datetime

from django.db import models
from rest_framework import serializers


class UTCDateTimeField(serializers.DateTimeField):
    """Instants render in UTC with a ``Z``, whatever the server's TIME_ZONE (``2024-01-15T14:30:00Z``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.timezone.utc)
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M:%SZ")
        super().__init__(**kwargs)


class APIModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


def required_name_kwargs(label="Name") -> dict:
    message = f"{label} is required"
    return {"error_messages": {"required": message, "blank": message, "null": message}}


def related_id_field(*, source, queryset, label, **kwargs):
    """A ``<thing>_id`` field: the related object's primary key in and out, with a clear error."""
    messages = {
        "does_not_exist": f"{label} {{pk_value}} does not exist.",
        "incorrect_type": f"{source}_id must be an integer.",
        "required": f"{source}_id is required",
        "null": f"{source}_id is required",
    }
    return serializers.PrimaryKeyRelatedField(source=source, queryset=queryset, error_messages=messages, **kwargs)
