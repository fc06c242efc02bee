"""Timestamps read from PostgreSQL through psycopg's C loader (timetracker.postgres)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from psycopg import pq
from psycopg.types.datetime import TimestamptzLoader

from timeentries.models import TimeEntry
from timetracker.postgres import C_TIMESTAMPTZ_LOADER, TIMESTAMPTZ_OID, CTimestamptzLoader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's timestamps (DATABASE_URL)"),
]


def test_django_cursors_read_timestamps_with_the_c_loader():
    with connection.cursor() as cursor:
        loader = cursor.connection.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
        assert issubclass(loader, CTimestamptzLoader)
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT) is loader  # kept by the cursor
    assert C_TIMESTAMPTZ_LOADER is not TimestamptzLoader  # psycopg[binary] is what requirements.txt installs


def test_instants_come_back_exactly_and_in_utc(make_entry, user, project):
    sydney = zoneinfo.ZoneInfo("Australia/Sydney")
    start = datetime.datetime(2024, 10, 6, 3, 30, 15, 123456, tzinfo=sydney)  # the hour after a DST change
    entry = make_entry(user, project, start, hours=1.5)

    stored = TimeEntry.objects.values_list("start_time", "end_time").get(pk=entry.pk)

    assert stored == (start, start + datetime.timedelta(minutes=90))
    assert all(value.tzinfo is datetime.timezone.utc for value in stored)
    with connection.cursor() as cursor:
        cursor.execute("SELECT '1900-01-01 00:00:00+00'::timestamptz, '9998-12-31 23:59:59.999999+00'::timestamptz")
        assert cursor.fetchone() == (
            datetime.datetime(1900, 1, 1, tzinfo=datetime.timezone.utc),
            datetime.datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc),
        )
