"""Rate limits on what anonymous visitors can do many times: write, submit, download, guess.

Counts live in Django's cache, which is Redis in production (CACHE_URL), so a limit holds across
every web process. The client address comes from config.client_ip (trusted proxies only). Limits
are per address and generous: a classroom of thirty behind one school address must not notice.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from config.client_ip import client_ip


def hit(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """Count one use of `scope` by `key`; False once more than `limit` uses fall in the window."""
    window = int(time.time() // period)
    name = f"ratelimit:{scope}:{key}:{window}"
    cache.add(name, 0, timeout=period + 60)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=period + 60)
        count = 1
    return count <= limit


def exceeded(scope: str, key: str, *, limit: int, period: int = 3600) -> bool:
    """Whether `scope` is already over its limit for `key`, without counting a use."""
    window = int(time.time() // period)
    return (cache.get(f"ratelimit:{scope}:{key}:{window}") or 0) >= limit


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
