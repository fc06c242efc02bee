from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from timetracker.api.base import APIView
from timetracker.api.idempotency import IdempotentCreateMixin
from timetracker.api.viewsets import ResourceViewSet

from .. import services
from ..filtersets import TimeEntryFilterSet
from ..models import TimeEntry
from ..selectors import running_timer, time_entries_visible_to, with_tag_names
from ..signals import TIME_ENTRY_COUNTS
from .serializers import (
    TimeEntrySerializer, TimerEntrySerializer, TimerStartedSerializer, TimerStartSerializer, TimerStatusSerializer,
    TimerStoppedSerializer,
)


class TimeEntryViewSet(IdempotentCreateMixin, ResourceViewSet):
    """Time entries: a non-admin sees and changes only their own (another user's entry is a 404, their
    ``user_id`` a 403); deleting is soft. Without ``end_time`` a create starts a running timer."""

    queryset = TimeEntry.objects.none()  # the real one depends on the user (get_queryset); this names the model

    serializer_class = TimeEntrySerializer
    filterset_class = TimeEntryFilterSet
    scope_resource = "time_entries"
    item_key, list_key = "time_entry", "time_entries"
    count_cache = TIME_ENTRY_COUNTS

    def get_queryset(self):
        return time_entries_visible_to(self.request.user).order_by("-start_time", "-id")

    def paginate_queryset(self, queryset):
        return with_tag_names(super().paginate_queryset(queryset))

    def create_instance(self, data):
        user = data.pop("user", self.request.user)  # UserIdField has checked the caller may act for them
        return services.time_entry_create(user=user, source=TimeEntry.Source.API, **data)

    def update_instance(self, instance, data):
        return services.time_entry_update(entry=instance, **data)

    def destroy_instance(self, instance):
        services.time_entry_delete(entry=instance)
        return "Time entry deleted successfully"


class TimerStatusView(APIView):
    """The authenticated user's running timer, if any."""

    scope_resource = "time_entries"

    @extend_schema(summary="Timer status", responses=TimerStatusSerializer)
    def get(self, request):
        entry = running_timer(request.user)
        if entry is None:
            return Response({"active": False, "timer": None})
        return Response({"active": True, "timer": TimerEntrySerializer(entry, context={"request": request}).data})


class TimerStartView(APIView):
    """Start a timer (a time entry without an end) now. One timer per user: a second start is
    ``409 timer_already_running``."""

    scope_resource = "time_entries"

    @extend_schema(summary="Start a timer", request=TimerStartSerializer, responses={201: TimerStartedSerializer})
    def post(self, request):
        serializer = TimerStartSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        entry = services.timer_start(user=request.user, **serializer.validated_data)
        return Response(
            {"message": "Timer started", "timer": TimerEntrySerializer(entry, context={"request": request}).data},
            status=status.HTTP_201_CREATED,
        )


class TimerStopView(APIView):
    """Stop the running timer now; ``400 no_active_timer`` when none runs."""

    scope_resource = "time_entries"

    @extend_schema(summary="Stop the timer", request=None, responses=TimerStoppedSerializer)
    def post(self, request):
        entry = services.timer_stop(user=request.user)
        return Response(
            {"message": "Timer stopped", "time_entry": TimeEntrySerializer(entry, context={"request": request}).data}
        )
