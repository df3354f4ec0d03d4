"""Celery tasks: ids in, a service call, the outcome recorded. Nothing personal in arguments.

Tasks are acknowledged late (settings: acks_late, prefetch 1, JSON only), so a worker that dies
mid-task leaves its message to be delivered again; the Delivery row's state decides whether there
is anything left to do. Services queue these by name (`letters.task_names`).
"""

from celery import shared_task

from letters import batches, notifications, outbox, retention
from letters.models import Letter


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_private_link(letter_id: int) -> None:
    letter = Letter.objects.select_related("campaign", "template").filter(pk=letter_id).first()
    if letter is not None:  # None: deleted before the task ran
        notifications.send_private_link(letter=letter)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_student_copy(letter_id: int) -> None:
    letter = Letter.objects.select_related("campaign", "template").filter(pk=letter_id).first()
    if letter is not None:
        notifications.send_student_copy(letter=letter)


@shared_task(acks_late=True)
def dispatch_batch(batch_id: int) -> int:
    return batches.batch_dispatch(batch_id=batch_id)


@shared_task(acks_late=True)
def send_delivery(delivery_id: int) -> str:
    result = outbox.delivery_send(delivery_id=delivery_id)
    if result.retry_in is not None:
        send_delivery.apply_async((delivery_id,), countdown=result.retry_in)
    return str(result.outcome)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def build_print_pack(batch_id: int) -> None:
    batches.batch_build_pack(batch_id=batch_id)


@shared_task
def reconcile_deliveries() -> int:
    return len(outbox.deliveries_reconcile())


@shared_task
def purge_personal_data() -> int:
    return sum(retention.personal_data_purge().values())
