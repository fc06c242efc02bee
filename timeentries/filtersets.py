import django_filters
from django.db.models import Exists, OuterRef

from timetracker.access import check_may_access_user
from timetracker.api.filters import CommaListFilter, DateOrDateTimeFilter, IdFilter, StrictBooleanFilter
from timetracker.dates import end_bound, start_bound
from timetracker.models import user_timezone

from .models import TimeEntry, tag_key


def entries_tagged_any(queryset, names):
    """Entries carrying at least one of the tag names (case-insensitive)."""
    through = TimeEntry.tags.through
    tagged = through.objects.filter(timeentry_id=OuterRef("pk"), tag__key__in=[tag_key(name) for name in names])
    return queryset.filter(Exists(tagged))


class TimeEntryFilterSet(django_filters.FilterSet):
    """v1 list filters. Dates are read in the requesting user's timezone; running timers are
    left out unless ``include_active=true``."""

    project_id = IdFilter(field_name="project_id")
    task_id = IdFilter(field_name="task_id")
    user_id = IdFilter(method="filter_user")
    start_date = DateOrDateTimeFilter(method="filter_start")
    end_date = DateOrDateTimeFilter(method="filter_end")
    billable = StrictBooleanFilter(field_name="billable")
    include_active = StrictBooleanFilter(method="filter_nothing")
    tags = CommaListFilter(method="filter_tags")

    class Meta:
        model = TimeEntry
        fields = []

    @property
    def viewer_timezone(self):
        return user_timezone(self.request.user)

    def filter_user(self, queryset, name, value):
        check_may_access_user(self.request.user, value)
        return queryset.filter(user_id=value)

    def filter_start(self, queryset, name, value):
        return queryset.filter(start_time__gte=start_bound(value, self.viewer_timezone))

    def filter_end(self, queryset, name, value):
        return queryset.filter(start_time__lt=end_bound(value, self.viewer_timezone))

    def filter_tags(self, queryset, name, value):
        return entries_tagged_any(queryset, value) if value else queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied in filter_queryset, because its default (false) must apply too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_active"):
            queryset = queryset.finished()
        return queryset
