"""The Redis cache backend (timetracker.cache), against a real Redis: what rate limits and list totals rely on."""

import uuid

import pytest

from timetracker.cache import RedisCache

from .test_production import _redis_available

pytestmark = pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it)")


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_incr_adds_to_an_existing_counter_and_keeps_its_timeout(redis_cache):
    redis_cache.add("hits", 1, timeout=60)

    assert redis_cache.incr("hits") == 2
    assert redis_cache.incr("hits", 5) == 7
    assert redis_cache.get("hits") == 7
    client = redis_cache._cache.get_client(write=True)
    assert 0 < client.ttl(redis_cache.make_key("hits")) <= 60


def test_incr_of_a_missing_key_fails_and_creates_nothing(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("missing")
    assert redis_cache.get("missing") is None  # not a counter without a timeout, left behind for ever


def test_incr_is_one_round_trip(redis_cache, monkeypatch):
    redis_cache.add("hits", 1, timeout=60)
    redis_cache.incr("hits")  # Redis learns the script
    client = redis_cache._cache.get_client(write=True)
    commands = []
    real_execute = client.execute_command
    monkeypatch.setattr(client, "execute_command", lambda *args, **kw: commands.append(args[0]) or real_execute(*args, **kw))

    redis_cache.incr("hits")

    assert commands == ["EVALSHA"]


def test_one_client_serves_every_operation(redis_cache):
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client(write=True)
