"""Exact totals of big lists, kept in the shared cache until the data they count changes.

Counting a million time entries takes PostgreSQL 70–140 ms, however it is indexed, while the page itself
takes 0.1 ms. So the count of a list is cached under its SQL and a *data version*; every write to the
rows such a count depends on bumps the version after its transaction commits, which retires every count
at once. Totals stay exact: a count computed before a write is never read after it.

Only with a cache every app-server process shares (Redis): with a process-local one, a write in one
process could not retire the counts another holds. ``settings.LIST_COUNT_CACHE`` says whether it is on.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

COUNT_TIMEOUT = 24 * 3600  # a count unread for a day is dropped; versions retire the rest
# No table holds this many rows, so a page starting further on is past the end. The databases take OFFSET and
# LIMIT as 64-bit integers: SQLite reads a larger literal as a float and fails, PostgreSQL refuses it.
MAX_OFFSET = 2**62


def _version_key(name: str) -> str:
    return f"counts:{name}:version"


def data_version(name: str) -> int:
    version = cache.get(_version_key(name))
    if version is None:
        # Not 0: if the version was evicted while old counts survived, a fresh start must not meet them.
        version = time.time_ns()
        if not cache.add(_version_key(name), version, timeout=None):
            version = cache.get(_version_key(name), version)
    return version


def _bump(name: str) -> None:
    try:
        cache.incr(_version_key(name))
    except ValueError:  # no version yet: nothing cached under one either
        pass


def data_changed(name: str) -> None:
    """Retire the cached counts of ``name`` once the current transaction commits (now, outside one)."""
    if settings.LIST_COUNT_CACHE:
        transaction.on_commit(lambda: _bump(name))


def cached_count(queryset, *, name: str) -> int:
    """``queryset.count()``, served from the cache while the ``name`` data version stands."""
    if not settings.LIST_COUNT_CACHE:
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    key = f"counts:{name}:{data_version(name)}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.count()
        cache.set(key, total, timeout=COUNT_TIMEOUT)
    return total


def page_with_total(queryset, *, offset: int, size: int, count_name: str | None = None,
                    fetch=None) -> tuple[list, int]:
    """The rows of one page and the number of rows on all pages. A page that comes back short is the last,
    so it gives the total without a count; otherwise the count is cached when ``count_name`` names the data
    version it depends on. ``fetch`` turns the queryset into what the page fetches (e.g. its ``values()``),
    leaving the count to the plain queryset."""
    rows = list((fetch(queryset) if fetch else queryset)[offset : offset + size]) if offset < MAX_OFFSET else []
    if 0 < len(rows) < size or (offset == 0 and not rows):
        return rows, offset + len(rows)
    total = cached_count(queryset, name=count_name) if count_name else queryset.count()
    # A write between the two queries must not make the total contradict the page.
    return rows, max(total, offset + len(rows)) if rows else total
