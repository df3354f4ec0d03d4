"""The Celery application: settings come from Django's settings (prefix CELERY_)."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("campaign_letters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queue_after_commit(task_name: str, *args) -> None:
    """Queue a task by its registered name once the current transaction commits.

    Services call this, never a task module: tasks import services, so the dependency runs one
    way. A broker that is down does not turn saved work into an error page: the rows are in the
    database, and the periodic reconcile task queues them when the broker is back.
    """

    from django.db import transaction

    def queue() -> None:
        try:
            app.tasks[task_name].delay(*args)
        except Exception:
            logger.exception("could not queue %s; the reconcile task will", task_name)

    transaction.on_commit(queue)


def _in_a_worker(task) -> bool:
    """False for a task run eagerly, inside a request or a test's transaction (as Celery's own
    Django fixup, which leaves those alone)."""
    return not getattr(getattr(task, "request", None), "is_eager", False)


@signals.task_prerun.connect
def database_connections_checked(sender=None, **kwargs) -> None:
    """Before a task, what Django does before a request: a connection older than CONN_MAX_AGE,
    or one that had errors and no longer answers, is closed (a new one opens at the first query).
    Celery would otherwise close every connection after every task (CELERY_DB_REUSE_MAX)."""
    from django.db import close_old_connections

    if _in_a_worker(sender):
        close_old_connections()


@signals.task_postrun.connect
def database_connections_closed_after_failure(
    sender=None, state: str | None = None, **kwargs
) -> None:
    """A task that failed or was stopped (a time limit raised mid-query) may leave its connection
    in a state Django cannot see: it is closed, and the next task opens a new one."""
    if state == "SUCCESS" or not _in_a_worker(sender):
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # already broken: dropped either way
            logger.info("closing a failed task's connection", exc_info=True)


@signals.setup_logging.connect
def use_the_apps_logging(**kwargs) -> None:
    """Workers and beat log in the app's one format (config/logs.py), not Celery's own."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    logging.captureWarnings(True)  # Python's warnings too, in the same format
