"""System checks for settings that only go wrong in a multi-process deployment."""

import os

from django.conf import settings
from django.core import checks

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def configured_workers() -> int:
    """App-server worker processes, as gunicorn is told (gunicorn.conf.py exports WEB_CONCURRENCY)."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY") or 1)
    except ValueError:
        return 1


@checks.register(checks.Tags.caches)
def check_rate_limit_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    workers = configured_workers()
    if workers > 1 and backend in PROCESS_LOCAL_CACHES:
        return [
            checks.Warning(
                f"{workers} app-server workers share no cache: each counts rate limits on its own, so a client "
                f"gets up to {workers}× its limit.",
                hint="Set REDIS_URL so that every worker counts in the same Redis.",
                id="timetracker.W001",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def check_count_cache_is_shared(app_configs, **kwargs):
    workers = configured_workers()
    if settings.LIST_COUNT_CACHE and workers > 1 and settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            checks.Warning(
                f"LIST_COUNT_CACHE is on but {workers} app-server workers share no cache: a write in one worker "
                "cannot retire the list totals another has cached, so totals may be out of date.",
                hint="Set REDIS_URL (which also turns the cache on), or LIST_COUNT_CACHE=0.",
                id="timetracker.W002",
            )
        ]
    return []
