"""The health endpoint, `/health/`: can this web server serve, and is the rest of the app alive?

    {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"},
     "worker_heartbeat_age_seconds": 12}

The answer is 503 when the database or the cache fails (this server cannot serve pages: a load
balancer takes it out), and 200 otherwise. The broker and the worker heartbeat (a task beat
sends every WORKER_HEARTBEAT_SECONDS, which a worker records in the cache) say whether letters
are being sent; a failure there makes the status "degraded" but keeps the 200, since taking
every web server out would not bring a worker back. Monitoring asks `/health/?require=all`,
which is 503 unless every check is ok. No personal data, no error text, no settings.

The heartbeat lives in the cache, so the web server sees it only with a shared cache (CACHE_URL,
required in production): with `make run`'s per-process cache the worker shows as "missing".
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
HEARTBEAT_KEY = "campaign_letters:worker-heartbeat"


def record_heartbeat(now: float | None = None) -> None:
    """Called by the heartbeat task, in a worker."""
    cache.set(HEARTBEAT_KEY, time.time() if now is None else now, timeout=24 * 3600)


def heartbeat_age() -> float | None:
    """Seconds since a worker last recorded a heartbeat, or None if none ever did."""
    at = cache.get(HEARTBEAT_KEY)
    return None if at is None else max(0.0, time.time() - float(at))


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    nonce = secrets.token_hex(8)
    cache.set("campaign_letters:health", nonce, timeout=30)
    if cache.get("campaign_letters:health") != nonce:
        raise RuntimeError("the cache did not keep a value")


def _check_broker() -> None:
    from config.celery import app

    with app.connection_for_write(connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


def checks() -> dict:
    results = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            check()
        except Exception:
            logger.warning("health check %s failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"
    age = None
    if results["cache"] == "ok":
        age = heartbeat_age()
    if age is None:
        results["worker"] = "missing"
    elif age > 3 * settings.WORKER_HEARTBEAT_SECONDS:
        results["worker"] = "stale"
    else:
        results["worker"] = "ok"
    return {"checks": results, "worker_heartbeat_age_seconds": None if age is None else int(age)}


def health_response(request) -> JsonResponse:
    body = checks()
    results = body["checks"]
    serving = results["database"] == "ok" and results["cache"] == "ok"
    everything = all(value == "ok" for value in results.values())
    body = {"status": "ok" if everything else "degraded" if serving else "down", **body}
    require_all = request.GET.get("require") == "all"
    status = 200 if (everything if require_all else serving) else 503
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
