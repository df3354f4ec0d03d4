"""A Celery worker keeps its database connection between tasks, as Django keeps one between
requests, and drops one that is too old or that a failed task may have left broken
(config/celery.py, CELERY_DB_REUSE_MAX)."""

import pytest
from celery import signals
from django.db import connection

from letters.models import Letter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept_for(settings):
    """Open the connection again with CONN_MAX_AGE `seconds` (read when it opens)."""
    saved = connection.settings_dict["CONN_MAX_AGE"]

    def open_with(seconds):
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = seconds
        Letter.objects.count()
        return connection.connection

    yield open_with
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = saved


def test_the_next_task_uses_the_connection_a_successful_task_used(kept_for):
    opened = kept_for(60)
    signals.task_postrun.send(sender=None, state="SUCCESS")
    signals.task_prerun.send(sender=None)
    assert connection.connection is opened
    assert Letter.objects.count() == 0


def test_a_task_that_failed_leaves_no_connection_behind(kept_for):
    kept_for(60)
    signals.task_postrun.send(sender=None, state="FAILURE")
    assert connection.connection is None
    assert Letter.objects.count() == 0  # the next task opens a new one


def test_a_connection_past_conn_max_age_is_closed_before_the_next_task(kept_for):
    kept_for(0)
    signals.task_prerun.send(sender=None)
    assert connection.connection is None


def test_the_worker_is_told_to_keep_connections(settings):
    from config.celery import app

    assert app.conf.get("CELERY_DB_REUSE_MAX") == settings.CELERY_DB_REUSE_MAX > 0


def test_a_task_run_eagerly_leaves_the_callers_connection_alone(kept_for):
    from config.tasks import worker_heartbeat

    opened = kept_for(0)  # obsolete at once: a worker would close it before its next task
    worker_heartbeat.apply()
    assert connection.connection is opened
