"""Fixtures for integration tests: real Redis, real Celery workers, a real SMTP server."""

import os
import shutil

import pytest
import redis
from django.db import connection

from tests.conftest import require
from tests.integration.services import LocalRedis, SmtpServer, Worker


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def redis_url():
    """A redis-server of the tests' own, on a free port, flushed freely: never one that someone
    else runs (a Redis on 6379 may hold another project's data). With CI=true a missing
    redis-server binary is a failure."""
    binary = shutil.which("redis-server")
    require(
        binary is not None,
        "redis-server",
        "install it (Debian: apt-get install redis-server); the tests start their own",
    )
    server = LocalRedis(binary)
    yield f"redis://127.0.0.1:{server.port}/0"
    server.stop()


@pytest.fixture
def broker(redis_url, settings):
    """Point this process's Celery producer at the test Redis, with an empty queue."""
    from config.celery import app

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    app.conf.broker_url = redis_url
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    yield client
    app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None
    client.flushdb()


@pytest.fixture
def redis_cache(broker, redis_url, settings, tmp_path):
    """Django's cache is the tests' own Redis (an empty database of it), as in production; the
    save's task goes to the broker, where no worker takes it (the tests play the worker)."""
    location = redis_url.rsplit("/", 1)[0] + "/3"
    redis.Redis.from_url(location).flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    yield redis.Redis.from_url(location)
    redis.Redis.from_url(location).flushdb()


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def smtp_settings(smtp, settings):
    """This process sends its mail to the test SMTP server, as the workers do."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    return smtp


@pytest.fixture
def worker_env(broker, redis_url, smtp, smtp_settings, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DELIVERY_RETRY_BASE_SECONDS": "0.2",
        "DELIVERY_RETRY_MAX_SECONDS": "2",
        "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "0",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def start_worker(worker_env):
    workers = []

    def start(name: str = "worker1", concurrency: int = 2) -> Worker:
        worker = Worker(worker_env, name=name, concurrency=concurrency)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
