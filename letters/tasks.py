"""Celery tasks: ids in, a service call, the outcome recorded. Nothing personal in arguments."""

from celery import shared_task

from letters import delivery
from letters.models import Letter


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_private_link(letter_id: int) -> None:
    letter = Letter.objects.select_related("campaign").filter(pk=letter_id).first()
    if letter is None:  # deleted before the task ran
        return
    delivery.send_private_link(letter=letter)
