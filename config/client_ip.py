"""The client's address, for rate limits and login lockouts.

Behind N trusted reverse proxies (TRUSTED_PROXY_COUNT), each proxy appends the address it saw to
X-Forwarded-For, so the client is the Nth entry from the right. Everything to the left of it was
written by the client and can be anything: the leftmost entry is never trusted.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
