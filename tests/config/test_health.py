"""/health/: what a load balancer and monitoring need, and nothing personal or secret."""

import json
import time

import pytest
from django.db import connection

from config import health
from config.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def get(client, path="/health/", **extra):
    response = client.get(path, **extra)
    return response.status_code, json.loads(response.content)


def test_all_well_after_a_worker_heartbeat(client):
    worker_heartbeat.delay()  # as beat sends it; a worker (here: eager) records it
    status, body = get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"}
    assert body["worker_heartbeat_age_seconds"] < 5


def test_no_heartbeat_yet_is_degraded_but_still_serving(client):
    status, body = get(client)
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["worker"] == "missing"
    status, _ = get(client, "/health/?require=all")  # monitoring asks for everything
    assert status == 503


def test_an_old_heartbeat_is_stale(client, settings):
    health.record_heartbeat(time.time() - 4 * settings.WORKER_HEARTBEAT_SECONDS)
    status, body = get(client)
    assert body["checks"]["worker"] == "stale" and status == 200


def test_a_database_failure_takes_the_server_out(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(health, "_check_database", broken)
    status, body = get(client)
    assert status == 503
    assert body["status"] == "down" and body["checks"]["database"] == "error"
    assert "refused" not in json.dumps(body)  # no error text leaves the server


def test_a_broker_failure_is_degraded(client, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        status, body = get(client)
    finally:
        app.conf.broker_url = previous
    assert body["checks"]["broker"] == "error"
    assert status == 200 and body["status"] == "degraded"


def test_answered_for_any_host_name_and_without_the_https_redirect(client, settings):
    """A load balancer asks by address, over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    worker_heartbeat.delay()
    response = client.get("/health/", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_answer_holds_no_personal_data_or_settings(client, settings):
    worker_heartbeat.delay()
    text = client.get("/health/").content.decode()
    body = json.loads(text)
    assert set(body) == {"status", "checks", "worker_heartbeat_age_seconds"}
    for secret in (settings.SECRET_KEY, settings.DATABASES["default"]["NAME"], "redis://"):
        assert str(secret) not in text


def test_beat_sends_the_heartbeat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == "config.tasks.worker_heartbeat"
    assert entry["schedule"] == settings.WORKER_HEARTBEAT_SECONDS
    assert entry["options"]["expires"] == settings.WORKER_HEARTBEAT_SECONDS
