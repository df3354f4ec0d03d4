"""The Celery application: settings come from Django's settings (prefix CELERY_)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("campaign_letters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def use_the_apps_logging(**kwargs) -> None:
    """Workers and beat log in the app's one format (config/logs.py), not Celery's own."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    logging.captureWarnings(True)  # Python's warnings too, in the same format
