"""The Celery application: settings come from Django's settings (prefix CELERY_)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("campaign_letters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queue_after_commit(task_name: str, *args) -> None:
    """Queue a task by its registered name once the current transaction commits.

    Services call this, never a task module: tasks import services, so the dependency runs one
    way. A broker that is down does not turn saved work into an error page: the rows are in the
    database, and the periodic reconcile task queues them when the broker is back.
    """
    import logging

    from django.db import transaction

    def queue() -> None:
        try:
            app.tasks[task_name].delay(*args)
        except Exception:
            logging.getLogger(__name__).exception(
                "could not queue %s; the reconcile task will", task_name
            )

    transaction.on_commit(queue)


@signals.setup_logging.connect
def use_the_apps_logging(**kwargs) -> None:
    """Workers and beat log in the app's one format (config/logs.py), not Celery's own."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    logging.captureWarnings(True)  # Python's warnings too, in the same format
