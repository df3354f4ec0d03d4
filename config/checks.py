"""The project's own system checks (`manage.py check --deploy` runs the deploy ones)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Cache backends every web process and every machine share.
SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
)


@register(Tags.security, Tags.caches, deploy=True)
def rate_limits_need_a_shared_cache(app_configs, **kwargs):
    """Rate limits count in the cache: a per-process cache lets each process count alone, so a
    limit of 20 becomes 20 times the number of gunicorn workers, and resets on every restart."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend in SHARED_CACHES:
        return []
    return [
        Error(
            f"The cache ({backend}) is not shared between processes, so rate limits do not hold.",
            hint="Set CACHE_URL to a Redis database, e.g. redis://127.0.0.1:6379/1.",
            id="config.E001",
        )
    ]
