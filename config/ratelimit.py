"""Rate limits on what anonymous visitors can do many times: write, submit, download, guess.

Counts live in Django's cache, which is Redis in production (CACHE_URL), so a limit holds across
every web process. The client address comes from config.client_ip (trusted proxies only). Limits
are per address and generous: a classroom of thirty behind one school address must not notice.

When the cache cannot be reached (Redis down or restarting), the limits are counted in the
process's own memory until it is back, and a warning is logged (once a minute per process). A
student never gets an error page for it, and the limits still hold, each web process counting
alone (so up to one limit per process). The choice: failing closed would stop a classroom from
writing for as long as Redis is down; failing open (no limit at all) would let anyone send
private-link emails to any address in that time.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import render

from config.cache_errors import UNREACHABLE, redis_client
from config.client_ip import client_ip

logger = logging.getLogger(__name__)

#: This process's own counts, used while the shared cache cannot be reached.
_local_counts = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_WARN_EVERY_SECONDS = 60
_last_warning = 0.0


def _unreachable(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= _WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(
            "the cache cannot be reached (%s): rate limits are counted in this process's "
            "memory until it is back",
            type(error).__name__,
        )


def _count(store, name: str, period: int) -> int:
    if (client := redis_client(store)) is not None:
        # One round trip (Django's add and incr are three): the count is created with its expiry,
        # in the same transaction as its first increment, so no count outlives its window.
        key = store.make_and_validate_key(name)
        pipeline = client.pipeline().set(key, 0, ex=period + 60, nx=True).incr(key)
        return pipeline.execute()[-1]
    store.add(name, 0, timeout=period + 60)
    try:
        return store.incr(name)
    except ValueError:  # expired between add and incr
        store.set(name, 1, timeout=period + 60)
        return 1


def hit(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """Count one use of `scope` by `key`; False once more than `limit` uses fall in the window."""
    window = int(time.time() // period)
    name = f"ratelimit:{scope}:{key}:{window}"
    try:
        count = _count(caches["default"], name, period)
    except UNREACHABLE as error:
        _unreachable(error)
        count = _count(_local_counts, name, period)
    return count <= limit


def exceeded(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """Whether `scope` is already over its limit for `key`, without counting a use."""
    window = int(time.time() // period)
    name = f"ratelimit:{scope}:{key}:{window}"
    try:
        count = cache.get(name)
    except UNREACHABLE as error:
        _unreachable(error)
        count = _local_counts.get(name)
    return (count or 0) >= limit


def too_many(request, *, scope: str):
    return render(request, "ratelimited.html", {"scope": scope}, status=429)


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Limit a view to RATE_LIMITS[scope] requests an hour per client address."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = settings.RATE_LIMITS[scope]
            if request.method in methods and not hit(scope, client_ip(request), limit=limit):
                return too_many(request, scope=scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
