"""Query filters of the inventory lists; an invalid value is a 400, never a silently ignored filter."""

import datetime
import re

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from timetracker.api.filters import IdFilter, StrictBooleanFilter
from timetracker.dates import local_day_start
from timetracker.models import user_timezone

from .models import StockItem, StockLevel, StockMovement, Warehouse

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(raw: str) -> datetime.date:
    """``YYYY-MM-DD`` and nothing else; ValueError otherwise."""
    raw = (raw or "").strip()
    try:
        if ISO_DATE.fullmatch(raw):
            return datetime.date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValueError(f"'{raw}' is not a date in the form YYYY-MM-DD.")


def day_start(day: datetime.date, tz, *, field: str, next_day=False) -> datetime.datetime:
    """The instant ``day`` (or the day after it) begins in ``tz``; a 400 on ``field`` for dates so far off
    that they cannot be an instant (year 1 east of UTC, the day after 9999-12-31)."""
    try:
        if next_day:
            day += datetime.timedelta(days=1)
        instant = local_day_start(day, tz)
        instant.astimezone(datetime.timezone.utc)  # what the database adapter will do
    except OverflowError:
        raise ValidationError({field: ["The date is out of range."]}) from None
    return instant


class ISODateField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@extend_schema_field({"type": "string", "format": "date", "description": "A day, YYYY-MM-DD."})
class LocalDayFilter(django_filters.Filter):
    """``date_from`` / ``date_to`` (``YYYY-MM-DD``) on ``moved_at``, read in the requesting user's timezone:
    ``date_from`` starts at local midnight, ``date_to`` includes that whole local day."""

    field_class = ISODateField

    def __init__(self, *, until=False, **kwargs):
        super().__init__(field_name="moved_at", **kwargs)
        self.until = until

    def filter(self, qs, value):
        if value is None:
            return qs
        tz = user_timezone(self.parent.request.user)
        instant = day_start(value, tz, field=self.field_name_for_errors, next_day=self.until)
        return qs.filter(moved_at__lt=instant) if self.until else qs.filter(moved_at__gte=instant)

    @property
    def field_name_for_errors(self):
        return "date_to" if self.until else "date_from"


class WarehouseFilterSet(django_filters.FilterSet):
    active = StrictBooleanFilter(field_name="active")

    class Meta:
        model = Warehouse
        fields = ["active"]


class StockItemFilterSet(django_filters.FilterSet):
    active = StrictBooleanFilter(field_name="active")
    category = django_filters.CharFilter(field_name="category")

    class Meta:
        model = StockItem
        fields = ["active", "category"]


class StockLevelFilterSet(django_filters.FilterSet):
    stock_item_id = IdFilter(field_name="item_id")
    warehouse_id = IdFilter(field_name="warehouse_id")

    class Meta:
        model = StockLevel
        fields = ["stock_item_id", "warehouse_id"]


class TransferFilterSet(django_filters.FilterSet):
    date_from = LocalDayFilter()
    date_to = LocalDayFilter(until=True)

    class Meta:
        model = StockMovement
        fields = ["date_from", "date_to"]


class MovementHistoryFilterSet(TransferFilterSet):
    stock_item_id = IdFilter(field_name="item_id")
    warehouse_id = IdFilter(field_name="warehouse_id")
    movement_type = django_filters.ChoiceFilter(choices=StockMovement.Type.choices)

    class Meta:
        model = StockMovement
        fields = ["date_from", "date_to", "stock_item_id", "warehouse_id", "movement_type"]
