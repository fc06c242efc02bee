"""How every API writes an instant (timetracker.dates.utc_text)."""

import datetime
import zoneinfo

import pytest

from timetracker.dates import UTC_FORMAT, utc_text


@pytest.mark.parametrize("instant, text", [
    (datetime.datetime(2024, 1, 15, 14, 30, 5, 999999, tzinfo=datetime.timezone.utc), "2024-01-15T14:30:05Z"),
    (datetime.datetime(2024, 1, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Australia/Sydney")), "2023-12-31T13:30:00Z"),
    (datetime.datetime(1900, 3, 1, 23, 59, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
     "1900-03-02T04:59:59Z"),
])
def test_instants_are_written_in_utc_to_the_whole_second(instant, text):
    assert utc_text(instant) == text
    assert utc_text(instant) == instant.astimezone(datetime.timezone.utc).strftime(UTC_FORMAT)
