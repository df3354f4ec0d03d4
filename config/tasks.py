"""Tasks of the app as a whole (letters' tasks live in letters/tasks.py)."""

from celery import shared_task

from config.health import record_heartbeat


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Sent by beat every WORKER_HEARTBEAT_SECONDS; the worker that runs it records the time,
    which /health/ reads: a recent heartbeat means beat, the broker and a worker all work."""
    record_heartbeat()
