"""Celery tasks of the replies app: thin, ids in (none here), a service call."""

from celery import shared_task

from replies import services


@shared_task
def ask_reply_questions() -> int:
    return services.reply_questions_ask()
