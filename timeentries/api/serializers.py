from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Project, Task
from timetracker.api.serializers import APIModelSerializer, APISerializer, IdField, UTCDateTimeField, related_id_field
from timetracker.access import check_may_access_user
from timetracker.dates import local_instant, utc_text
from timetracker.models import user_timezone

from ..models import TimeEntry
from ..selectors import seconds_to_hours
from ..services import parse_tag_names


class LocalDateTimeField(UTCDateTimeField):
    """Renders in UTC; a value sent without an offset is read in the requesting user's timezone."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            try:
                value = local_instant(value, user_timezone(self.context["request"].user))
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return super().enforce_timezone(value)


@extend_schema_field({
    "type": "string",
    "pattern": r"^[^,]{0,100}(,[^,]{0,100})*$",
    "description": "Comma-separated tag names, each at most 100 characters (a JSON list of names is accepted too).",
    "example": "development,frontend",
})
class TagListField(serializers.Field):
    """Tags as a comma-separated string (``"development,frontend"``); a JSON list of names is accepted too."""

    default_error_messages = {"invalid": "Give tags as a comma-separated string of names."}

    def to_representation(self, tags):
        return ",".join(tag.name for tag in tags.all())

    def to_internal_value(self, data):
        if isinstance(data, list) and all(isinstance(item, str) for item in data) or isinstance(data, str):
            names = parse_tag_names(data)
            if any(len(name) > 100 for name in names):
                raise serializers.ValidationError("A tag name has at most 100 characters.")
            return names
        self.fail("invalid")


class UserIdField(IdField):
    """The entry's user. Checks that the caller may act for that user before looking the user up, so a
    non-admin learns nothing about which user ids exist."""

    def to_internal_value(self, data):
        try:
            check_may_access_user(self.context["request"].user, int(data))
        except (TypeError, ValueError):
            pass  # not an id: the lookup below reports it
        return super().to_internal_value(data)


class TimeEntrySerializer(APIModelSerializer):
    user_id = related_id_field(
        source="user", queryset=get_user_model().objects.filter(is_active=True), label="User", required=False,
        field_class=UserIdField,
    )
    project_id = related_id_field(source="project", queryset=Project.objects.all(), label="Project")
    task_id = related_id_field(
        source="task", queryset=Task.objects.all(), label="Task", required=False, allow_null=True
    )
    start_time = LocalDateTimeField()
    end_time = LocalDateTimeField(required=False, allow_null=True)
    duration_hours = serializers.SerializerMethodField()
    tags = TagListField(required=False)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = TimeEntry
        fields = [
            "id", "user_id", "project_id", "task_id", "start_time", "end_time", "duration_seconds",
            "duration_hours", "notes", "tags", "billable", "invoice_number", "source", "is_active",
            "created_at", "updated_at",
        ]
        read_only_fields = ["duration_seconds", "source"]
        extra_kwargs = {"billable": {"required": False}, "notes": {"required": False}}

    def get_duration_hours(self, entry) -> float | None:
        return None if entry.duration_seconds is None else seconds_to_hours(entry.duration_seconds)

    def to_representation(self, entry):
        # Built directly rather than field by field, which takes three times as long for a page of 100
        # entries. The fields still define the schema and the input; a test keeps both renderings equal.
        tag_names = getattr(entry, "tag_names", None)  # selectors.with_tag_names, for lists
        if tag_names is None:
            tag_names = [tag.name for tag in entry.tags.all()]
        return {
            "id": entry.pk,
            "user_id": entry.user_id,
            "project_id": entry.project_id,
            "task_id": entry.task_id,
            "start_time": utc_text(entry.start_time),
            "end_time": None if entry.end_time is None else utc_text(entry.end_time),
            "duration_seconds": entry.duration_seconds,
            "duration_hours": self.get_duration_hours(entry),
            "notes": entry.notes,
            "tags": ",".join(tag_names),
            "billable": entry.billable,
            "invoice_number": entry.invoice_number,
            "source": str(entry.source),
            "is_active": entry.is_active,
            "created_at": utc_text(entry.created_at),
            "updated_at": utc_text(entry.updated_at),
        }


class TimerEntrySerializer(TimeEntrySerializer):
    elapsed_seconds = serializers.SerializerMethodField()

    class Meta(TimeEntrySerializer.Meta):
        fields = [*TimeEntrySerializer.Meta.fields, "elapsed_seconds"]

    def get_elapsed_seconds(self, entry) -> int:
        return max(0, int((timezone.now() - entry.start_time).total_seconds()))

    def to_representation(self, entry):
        return {**super().to_representation(entry), "elapsed_seconds": self.get_elapsed_seconds(entry)}


class TimerStartSerializer(APISerializer):
    project_id = related_id_field(source="project", queryset=Project.objects.all(), label="Project")
    task_id = related_id_field(source="task", queryset=Task.objects.all(), label="Task", required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    tags = TagListField(required=False)
    billable = serializers.BooleanField(required=False)


# Response bodies of the timer endpoints (for the OpenAPI schema; the views build the same shapes).


class TimerStatusSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    timer = TimerEntrySerializer(allow_null=True, help_text="The running timer, null when none runs.")


class TimerStartedSerializer(serializers.Serializer):
    message = serializers.CharField()
    timer = TimerEntrySerializer()


class TimerStoppedSerializer(serializers.Serializer):
    message = serializers.CharField()
    time_entry = TimeEntrySerializer()
