"""Per-token and per-IP request limits, counted with django-ratelimit in the shared cache.

A request with a valid token (or a staff session) counts against that client's per-minute and per-hour
windows; any other
request (no token, or a wrong one) counts against its client IP's tighter window, so guessing tokens is
slow. Counters live in ``settings.RATELIMIT_USE_CACHE`` (Redis when ``REDIS_URL`` is set), so the limits
hold across every app-server process.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class RateLimitExceeded(Ratelimited):
    def __init__(self, wait: int):
        super().__init__("Rate limit exceeded; retry later.")
        self.wait = max(1, wait)


@dataclass(frozen=True)
class Window:
    limit: int
    remaining: int
    reset: int  # Unix time at which the window starts afresh

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


def _count(request, *, group, key, rate) -> Window:
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is not None and usage["time_left"] < 0:
        # The counter can expire between django-ratelimit's ADD (the key exists) and its INCR (it no longer
        # does), which counts nothing and reports a failure. Asking again ADDs a fresh key.
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None:  # RATELIMIT_ENABLE is off
        return None
    now = int(time.time())
    if usage["time_left"] < 0:  # the cache could not count twice running: fail closed for a short while
        raise RateLimitExceeded(wait=5)
    window = Window(usage["limit"], max(0, usage["limit"] - usage["count"]), now + usage["time_left"])
    if usage["should_limit"]:
        raise RateLimitExceeded(wait=usage["time_left"])
    return window


def count_client_request(request, client: str) -> Window | None:
    """Count a request of an authenticated client (``token:<id>``) in both its windows; return the window
    nearest to running out, or raise RateLimitExceeded."""
    windows = []
    for rate in (settings.RATE_LIMIT_TOKEN_PER_MINUTE, settings.RATE_LIMIT_TOKEN_PER_HOUR):
        try:
            windows.append(_count(request, group="api-client", key=lambda group, request: client, rate=rate))
        except RateLimitExceeded as exc:
            # Tell the client when it may come back, with the headers of the exhausted window.
            exc.window = Window(int(rate.split("/")[0]), 0, int(time.time()) + exc.wait)
            raise
    windows = [window for window in windows if window is not None]
    return min(windows, key=lambda window: (window.remaining, window.reset)) if windows else None


def count_anonymous_request(request) -> None:
    """Count a request without a valid token against its client IP."""
    _count(request, group="api-anonymous", key="ip", rate=settings.RATE_LIMIT_ANONYMOUS)
