"""Rate limits: per token, per IP without a valid token, in each API's own error shape."""

import base64
import itertools
import time

import pytest
from django.core import checks
from django.core.cache import caches
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from timetracker.api.base import APIViewMixin

LIMITED = {"RATE_LIMIT_TOKEN_PER_MINUTE": "3/m", "RATE_LIMIT_TOKEN_PER_HOUR": "5/h", "RATE_LIMIT_ANONYMOUS": "2/m"}


@pytest.fixture
def small_limits(settings):
    for name, value in LIMITED.items():
        setattr(settings, name, value)


def test_responses_to_token_requests_carry_rate_limit_headers(api):
    before = int(time.time())
    response = api.get("/api/v1/projects")
    assert response["X-RateLimit-Limit"] == "100"
    assert response["X-RateLimit-Remaining"] == "99"
    assert before < int(response["X-RateLimit-Reset"]) <= before + 61
    assert api.get("/api/v1/projects/999999")["X-RateLimit-Remaining"] == "98"  # errors count and carry them too


def test_the_header_shows_the_window_nearest_to_running_out(api, small_limits):
    for expected in ("2", "1", "0"):
        assert api.get("/api/v1/projects")["X-RateLimit-Remaining"] == expected
    # the minute window (3) is exhausted first; the hour window (5) still has 2


def test_over_the_limit_is_a_429_in_the_v1_shape_with_retry_after(api, small_limits):
    for _ in range(3):
        assert api.get("/api/v1/projects").status_code == 200
    response = api.get("/api/v1/projects")
    assert response.status_code == 429
    assert response.json()["error_code"] == "rate_limited"
    assert {"error", "message"} <= response.json().keys()
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-RateLimit-Remaining"] == "0"


def test_the_hour_window_applies_too(api, settings):
    settings.RATE_LIMIT_TOKEN_PER_HOUR = "2/h"
    api.get("/api/v1/projects")
    api.get("/api/v1/projects")
    response = api.get("/api/v1/projects")
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 3600


def test_limits_are_per_token(make_client, user, small_limits):
    first, second = make_client(user), make_client(user)
    for _ in range(3):
        first.get("/api/v1/projects")
    assert first.get("/api/v1/projects").status_code == 429
    assert second.get("/api/v1/projects").status_code == 200


def test_teamwork_and_codebase_answer_429_in_their_own_shapes(make_token, user, project, small_limits):
    token = make_token(user, ["read:time_entries"])
    teamwork = APIClient()
    teamwork.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{token}:X".encode()).decode())
    for _ in range(3):
        teamwork.get("/teamwork/time/total.json")
    response = teamwork.get("/teamwork/time/total.json")
    assert response.status_code == 429
    assert response.json()["STATUS"] == "Error" and response["Retry-After"]

    codebase = APIClient()
    codebase.credentials(HTTP_AUTHORIZATION="Bearer " + make_token(user, ["read:time_entries"]))
    for _ in range(3):
        codebase.get(f"/codebase/{project.permalink}/time_sessions")
    response = codebase.get(f"/codebase/{project.permalink}/time_sessions")
    assert response.status_code == 429
    assert b"<error>" in response.content and response["Retry-After"]


def test_guessing_tokens_is_limited_per_ip(db, small_limits):
    guesser = APIClient()
    statuses = [guesser.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer tt_{i:032d}").status_code
                for i in range(3)]
    assert statuses == [401, 401, 429]
    other_ip = APIClient(REMOTE_ADDR="10.1.2.3")
    assert other_ip.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer tt_" + "x" * 32).status_code == 401


def test_requests_without_a_token_are_limited_per_ip(anon, db, small_limits):
    assert [anon.get("/api/v1/info").status_code for _ in range(3)] == [200, 200, 429]


def test_health_is_not_rate_limited(anon, db, small_limits):
    assert {anon.get("/api/v1/health").status_code for _ in range(5)} == {200}


def test_a_staff_session_is_limited_per_user(client, admin_user, small_limits):
    client.force_login(admin_user)
    statuses = [client.get("/api/v1/projects", HTTP_ACCEPT="application/json").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.fixture
def expire_before_incr(monkeypatch, settings):
    """expire_before_incr(times): the first ``times`` ADDs of a rate-limit counter find its key, which then
    expires before django-ratelimit's INCR."""

    def expire(times):
        cache = caches[settings.RATELIMIT_USE_CACHE]
        real_add, adds = cache.add, itertools.count()

        def add(key, value, timeout=None, version=None):
            if next(adds) < times:
                cache.delete(key)  # there for the ADD, gone for the INCR
                return False
            return real_add(key, value, timeout, version)

        monkeypatch.setattr(cache, "add", add)

    return expire


def test_a_counter_expiring_between_add_and_incr_is_counted_afresh(api, expire_before_incr):
    expire_before_incr(times=1)

    response = api.get("/api/v1/projects")

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "99"  # counted once, in a new window


def test_a_cache_that_cannot_count_twice_running_fails_closed(api, expire_before_incr):
    expire_before_incr(times=2)

    response = api.get("/api/v1/projects")

    assert response.status_code == 429
    assert response["Retry-After"] == "5"


def _api_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, path)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            yield path, view


def test_every_api_view_is_rate_limited():
    api_views = [(path, view) for path, view in _api_views()
                 if path.lstrip("^").startswith(("api/v1/", "teamwork/", "codebase/"))]
    assert len(api_views) > 20
    for path, view in api_views:
        if view is None:  # the JSON 404 catch-alls
            continue
        assert issubclass(view, APIViewMixin), path


def test_a_multi_worker_server_without_a_shared_cache_is_warned_about(monkeypatch, settings):
    from timetracker.checks import check_rate_limit_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    warnings = check_rate_limit_cache_is_shared(None)
    assert [warning.id for warning in warnings] == ["timetracker.W001"]
    assert warnings[0].level == checks.WARNING
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert check_rate_limit_cache_is_shared(None) == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert check_rate_limit_cache_is_shared(None) == []
