"""Teamwork query parameters: names are case-insensitive (``fromdate`` and ``fromDate`` both work),
and a bad value is a 400, never silently ignored."""

import datetime

from timetracker.api.compat import BadParameter
from timetracker.api.filters import MAX_ID
from timetracker.dates import MAX_YEAR, MIN_YEAR, check_supported, end_bound, local_day_start, make_aware_in

TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


class TeamworkParams:
    def __init__(self, query_params):
        self._values = {name.lower(): value for name, value in query_params.items()}

    def raw(self, name):
        value = self._values.get(name.lower())
        return None if value is None or value.strip() == "" else value.strip()

    def date(self, name) -> datetime.date | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            return check_supported(datetime.datetime.strptime(raw, "%Y%m%d").date())
        except ValueError:
            raise BadParameter(f"{name} must be a date as YYYYMMDD (years {MIN_YEAR}-{MAX_YEAR}), got '{raw}'.") from None

    def time(self, name) -> datetime.time | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            return datetime.datetime.strptime(raw, "%H:%M").time()
        except ValueError:
            raise BadParameter(f"{name} must be a time as HH:MM, got '{raw}'.") from None

    def timestamp(self, name) -> datetime.datetime | None:
        """``YYYYMMDDHHMMSS`` in UTC."""
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            return check_supported(
                datetime.datetime.strptime(raw, "%Y%m%d%H%M%S").replace(tzinfo=datetime.timezone.utc)
            )
        except ValueError:
            raise BadParameter(f"{name} must be a timestamp as YYYYMMDDHHMMSS, got '{raw}'.") from None

    def integer(self, name, *, minimum=None) -> int | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise BadParameter(f"{name} must be a whole number, got '{raw}'.") from None
        if abs(value) > MAX_ID or (minimum is not None and value < minimum):
            raise BadParameter(f"{name} is out of range: '{raw}'.")
        return value

    def integers(self, name) -> list[int]:
        raw = self.raw(name)
        if raw is None:
            return []
        try:
            values = [int(item) for item in raw.split(",") if item.strip()]
        except ValueError:
            raise BadParameter(f"{name} must be a comma-separated list of ids, got '{raw}'.") from None
        if any(abs(value) > MAX_ID for value in values):
            raise BadParameter(f"{name} is out of range: '{raw}'.")
        return values

    def choice(self, name, choices, default):
        raw = self.raw(name)
        if raw is None:
            return default
        if raw.lower() not in choices:
            raise BadParameter(f"{name} must be one of {', '.join(choices)}, got '{raw}'.")
        return raw.lower()

    def boolean(self, name, default=False) -> bool:
        raw = self.raw(name)
        if raw is None:
            return default
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise BadParameter(f"{name} must be true or false, got '{raw}'.")

    def instant_range(self, tz) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """``fromdate``/``fromtime`` and ``todate``/``totime`` in ``tz`` as [start, end) instants."""
        from_date, from_time = self.date("fromdate"), self.time("fromtime")
        to_date, to_time = self.date("todate"), self.time("totime")
        if from_time and not from_date:
            raise BadParameter("fromtime is only allowed together with fromdate.")
        if to_time and not to_date:
            raise BadParameter("totime is only allowed together with todate.")
        start = end = None
        if from_date:
            start = (
                make_aware_in(datetime.datetime.combine(from_date, from_time), tz) if from_time
                else local_day_start(from_date, tz)
            )
        if to_date:
            end = end_bound(datetime.datetime.combine(to_date, to_time) if to_time else to_date, tz)
        if start and end and end <= start:
            raise BadParameter("The end of the date range is before its start.")
        return start, end
