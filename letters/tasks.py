"""Celery tasks: ids in, a service call, the outcome recorded. Nothing personal in arguments.

Tasks are acknowledged late (settings: acks_late, prefetch 1, JSON only), so a worker that dies
mid-task leaves its message to be delivered again; the Delivery row's state decides whether there
is anything left to do. Services queue these by name (`letters.task_names`).
"""

from celery import shared_task
from django.db import transaction

from letters import batches, documents, outbox, retention, student_emails
from letters.models import Letter, StudentEmail


@shared_task(acks_late=True)
def send_student_email(email_id: int) -> str:
    result = student_emails.student_email_send(email_id=email_id)
    if result.retry_in is not None and result.retry_in <= student_emails.COUNTDOWN_MAX_SECONDS:
        send_student_email.apply_async((email_id,), countdown=result.retry_in)
    # A retry further off is queued by the reconcile task once it is due.
    return str(result.outcome)


def _queue_for_old_message(letter_id: int, kind: str) -> None:
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is not None:  # None: deleted before the task ran
        with transaction.atomic():
            student_emails.student_email_queue(letter=letter, kind=kind)


@shared_task(acks_late=True)
def send_private_link(letter_id: int) -> None:
    """A message queued by the previous release: it goes through the students' outbox."""
    _queue_for_old_message(letter_id, StudentEmail.Kind.PRIVATE_LINK)


@shared_task(acks_late=True)
def send_student_copy(letter_id: int) -> None:
    """A message queued by the previous release: it goes through the students' outbox."""
    _queue_for_old_message(letter_id, StudentEmail.Kind.COPY)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def prepare_letter_pdf(letter_id: int) -> bool:
    """The student's PDF, rendered here rather than in the web request that downloads it."""
    return documents.letter_download_prepare(letter_id=letter_id)


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
    """The officials' deliveries and the students' emails whose task was lost."""
    return len(outbox.deliveries_reconcile()) + len(student_emails.student_emails_reconcile())


@shared_task
def purge_personal_data() -> int:
    return sum(retention.personal_data_purge().values())
