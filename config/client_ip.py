"""The client's address, for rate limits and login lockouts.

Behind N trusted reverse proxies (TRUSTED_PROXY_COUNT), each proxy appends the address it saw to
X-Forwarded-For, so the client is the Nth entry from the right. Everything to the left of it was
written by the client and can be anything: the leftmost entry is never trusted.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

#: Stands in for an address that is missing or not an address (it must still be a valid IP:
#: django-axes stores it in an address column).
UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder value, never bound


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote
