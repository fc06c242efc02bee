"""Reading dates and times the way users mean them: in their own timezone."""

import datetime
import zoneinfo


def local_day_start(day: datetime.date, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant a calendar day begins in ``tz``."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def local_day_bounds(day: datetime.date, tz: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a calendar day in ``tz``; 23 or 25 hours long on DST changes."""
    return local_day_start(day, tz), local_day_start(day + datetime.timedelta(days=1), tz)


def make_aware_in(value: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A datetime without an offset is read in ``tz``; one with an offset keeps it."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value


def local_date(instant: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.date:
    return instant.astimezone(tz).date()


def parse_date_or_datetime(raw: str) -> datetime.date | datetime.datetime:
    """An ISO 8601 date (``2024-01-15``) or datetime (``2024-01-15T09:00:00``, with ``Z`` or an offset)."""
    from django.utils.dateparse import parse_date, parse_datetime

    raw = (raw or "").strip()
    try:
        value = parse_datetime(raw) if "T" in raw or " " in raw else parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"'{raw}' is not an ISO 8601 date (YYYY-MM-DD) or datetime (YYYY-MM-DDTHH:MM:SSZ).")
    return value


def start_bound(value: datetime.date | datetime.datetime, tz) -> datetime.datetime:
    """The first instant a range starting at ``value`` includes; a date starts at local midnight."""
    if isinstance(value, datetime.datetime):
        return make_aware_in(value, tz)
    return local_day_start(value, tz)


def end_bound(value: datetime.date | datetime.datetime, tz) -> datetime.datetime:
    """The first instant a range ending at ``value`` excludes: a date includes that whole local day,
    a datetime includes itself (the database keeps microseconds)."""
    if isinstance(value, datetime.datetime):
        return make_aware_in(value, tz) + datetime.timedelta(microseconds=1)
    return local_day_start(value + datetime.timedelta(days=1), tz)
