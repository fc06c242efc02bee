"""Django's Redis cache backend, reusing one client per connection pool."""

from django.core.cache.backends import redis


class ReusingRedisCacheClient(redis.RedisCacheClient):
    # Django builds a redis.Redis for every cache operation, and its constructor registers some 170 response
    # callbacks: 0.14 ms, more than the GET it serves (0.05 ms), several times a request (rate limits,
    # totals). A client is thread-safe and borrows connections from its pool, so one per pool serves all.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
