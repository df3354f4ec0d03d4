"""What Django's cache raises when the shared cache cannot be reached (Redis down, a network
fault): the rate limits (config.ratelimit) and the content cache (campaign.content_cache) catch
these and carry on without it. And the Redis client behind the cache, for what Django's cache API
asks in more than one round trip (a count with its expiry) or cannot ask (a blocking pop)."""

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

UNREACHABLE = (RedisError, OSError)


def redis_client(backend: BaseCache):
    """The redis-py client behind `backend` (the primary, which takes writes) when it is Django's
    Redis cache; None for another cache (each process's memory in development and tests)."""
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)
