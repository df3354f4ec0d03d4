"""Response headers the whole site gets, the access log, and the health endpoint."""

import logging
import time

from django.conf import settings

access_logger = logging.getLogger("campaign_letters.access")
HEALTH_PATH = "/health/"
HEALTH_ROUTE = "/health/"


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy with no inline script: every script is a file of our own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class AccessLogMiddleware:
    """One access-log line a request, naming the route (`letters/<token:token>/`), never the path.

    gunicorn's own access log is switched off (config.logs): it writes the path, and a path
    can hold a student's private-link token. No client address, no query string, no user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000)
        route = request_route(request)
        level = logging.DEBUG if route == HEALTH_ROUTE else logging.INFO
        access_logger.log(
            level,
            "%s %s %s %dms",
            request.method,
            route,
            response.status_code,
            duration_ms,
            extra={
                "route": route,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def request_route(request) -> str:
    """The URL pattern a request matched, `static/` for static files, or `-` for none."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route
    if request.path == HEALTH_PATH:
        return HEALTH_ROUTE
    if request.path.startswith(settings.STATIC_URL):
        return settings.STATIC_URL + "…"
    return "-"


class HeadWithoutBodyMiddleware:
    """A response to HEAD carries the headers of a GET and no body (RFC 9110). Django's views
    write one anyway, and gunicorn then warns on every HEAD request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                length = response.get("Content-Length")
                response.content = b""
                if length is not None:
                    response["Content-Length"] = length
        return response


class HealthCheckMiddleware:
    """`GET /health/`, answered before host checks and the HTTPS redirect, for load balancers.

    See config.health for what is checked. Placed before SecurityMiddleware in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        from config.health import health_response

        return health_response(request)
