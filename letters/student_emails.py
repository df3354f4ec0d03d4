"""The students' outbox: every email to a student (the private link, the copy of the sent
letter) is a StudentEmail row first, so a blink of SMTP, the broker or Redis loses none.

A row is written in the transaction that decides the email, and its task is queued after the
commit (a broker that is down then only delays it). The task claims the row with a conditional
update (queued -> sending), so a duplicate task never sends twice; a temporary failure puts it
back to queued with the next wait of STUDENT_EMAIL_RETRY_SCHEDULE (minutes, then hours); after
the last try, or at once for a permanent refusal, it is failed and shown to the campaign's
coordinators. The periodic reconcile task (`student_emails_reconcile`, with the deliveries')
queues the rows whose task was lost. The message is built when it is sent, from the letter as it
is then, in the letter's language; the row holds no address and no text.
"""

import hashlib
import hmac
import logging
import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.celery import app, queue_after_commit
from letters import notifications, task_names
from letters.models import Letter, StudentEmail
from letters.smtp import DUE_TOLERANCE, Outcome, SendResult, classify_error, send_checked

logger = logging.getLogger(__name__)

#: A retry further off than this is not held in a worker as a countdown task (the broker would
#: deliver it again after its visibility timeout, an hour with Redis): the reconcile task queues
#: it once it is due.
COUNTDOWN_MAX_SECONDS = 900.0

#: What a student's address becomes in a recorded or logged reason.
ADDRESS_LEFT_OUT = "<the student's address>"


def max_attempts() -> int:
    """The first try, and one more after each wait of the schedule."""
    return len(settings.STUDENT_EMAIL_RETRY_SCHEDULE) + 1


def retry_delay(attempts: int) -> float | None:
    """Seconds to wait after the `attempts`-th failed try (±10%), or None: no more tries."""
    schedule = settings.STUDENT_EMAIL_RETRY_SCHEDULE
    if attempts < 1 or attempts > len(schedule):
        return None
    return schedule[attempts - 1] * random.uniform(0.9, 1.1)


def message_id_for(email_id: int) -> str:
    """The same for every try at one email (a repeat after a crash is the same message)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"student-email-{email_id}".encode(), hashlib.sha256
    ).hexdigest()[:12]
    return f"<student-email-{email_id}.{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def student_email_queue(
    *, letter: Letter, kind: str, now: datetime | None = None
) -> StudentEmail | None:
    """Write the row and queue its sending once the transaction commits. None when the letter
    has no address, or when the same private link is already on its way (asked twice)."""
    if not letter.email:
        return None
    if kind == StudentEmail.Kind.PRIVATE_LINK:
        pending = StudentEmail.objects.filter(
            letter=letter,
            kind=kind,
            state__in=[StudentEmail.State.QUEUED, StudentEmail.State.SENDING],
        )
        if pending.exists():
            return None
    row = StudentEmail.objects.create(
        letter=letter, kind=kind, next_attempt_at=now or timezone.now()
    )
    queue_after_commit(task_names.SEND_STUDENT_EMAIL, row.pk)
    return row


#: Builders of the kinds other apps add (`replies`), registered when their app starts:
#: `letters` never imports them. kind -> builder(letter=..., headers=...).
MESSAGE_BUILDERS: dict[str, Callable] = {}


def register_message(kind: str, builder: Callable) -> None:
    MESSAGE_BUILDERS[kind] = builder


def _message(row: StudentEmail):
    headers = {"Message-ID": message_id_for(row.pk)}
    if row.kind in MESSAGE_BUILDERS:
        return MESSAGE_BUILDERS[row.kind](letter=row.letter, headers=headers)
    if row.kind == StudentEmail.Kind.COPY:
        return notifications.student_copy_message(letter=row.letter, headers=headers)
    return notifications.private_link_message(letter=row.letter, headers=headers)


def _left_out(reason: str, address: str) -> str:
    """The reason without the student's address: it is recorded and logged."""
    if address:
        reason = reason.replace(address, ADDRESS_LEFT_OUT).replace(
            address.lower(), ADDRESS_LEFT_OUT
        )
    return reason[:2000]


def student_email_send(*, email_id: int, now: datetime | None = None) -> SendResult:
    """Send one student email if it is queued and due; record what happened."""
    now = now or timezone.now()
    claimed = (
        StudentEmail.objects.filter(pk=email_id, state=StudentEmail.State.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + DUE_TOLERANCE))
        .update(
            state=StudentEmail.State.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if claimed != 1:
        return SendResult(Outcome.SKIPPED)  # sent, being sent, failed, or not due yet
    row = (
        StudentEmail.objects.select_related("letter__campaign", "letter__template")
        .filter(pk=email_id)
        .first()
    )
    if row is None:  # the letter was deleted meanwhile, and its emails with it
        return SendResult(Outcome.SKIPPED)
    sending = StudentEmail.objects.filter(pk=email_id, state=StudentEmail.State.SENDING)
    address = row.letter.email
    if not address:
        reason = "The letter has no email address any more."
        sending.update(
            state=StudentEmail.State.FAILED, last_error=reason, updated_at=timezone.now()
        )
        return SendResult(Outcome.FAILED, reason=reason)
    try:
        send_checked(_message(row), primary=[address])
    except Exception as error:
        temporary, reason = classify_error(error)
        reason = _left_out(reason, address)
        delay = retry_delay(row.attempts) if temporary else None
        logger.warning(
            "student email %s (%s) attempt %s failed%s: %s",
            email_id,
            row.kind,
            row.attempts,
            f", next try in {delay:.0f}s" if delay is not None else "; given up",
            reason,
        )
        if delay is not None:
            sending.update(
                state=StudentEmail.State.QUEUED,
                last_error=reason,
                next_attempt_at=timezone.now() + timedelta(seconds=delay),
                updated_at=timezone.now(),
            )
            return SendResult(Outcome.RETRY, retry_in=delay, reason=reason)
        sending.update(
            state=StudentEmail.State.FAILED, last_error=reason, updated_at=timezone.now()
        )
        return SendResult(Outcome.FAILED, reason=reason)
    sending.update(
        state=StudentEmail.State.SENT,
        sent_at=timezone.now(),
        last_error="",
        updated_at=timezone.now(),
    )
    return SendResult(Outcome.SENT)


def student_emails_reconcile(
    *,
    queued_grace: float | None = None,
    sending_timeout: float | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Queue again the student emails whose task was lost: queued and due for longer than
    `queued_grace` seconds (a broker that was down or restarted empty, or a retry too far off to
    be held as a countdown), or claimed longer than `sending_timeout` ago (a worker that died).
    One whose worker died at every try fails. Returns the ids queued."""
    now = now or timezone.now()
    grace = settings.DELIVERY_QUEUED_GRACE_SECONDS if queued_grace is None else queued_grace
    timeout = (
        settings.DELIVERY_SENDING_TIMEOUT_SECONDS if sending_timeout is None else sending_timeout
    )
    lost = Q(
        state=StudentEmail.State.QUEUED, next_attempt_at__lte=now - timedelta(seconds=grace)
    ) | Q(state=StudentEmail.State.SENDING, claimed_at__lte=now - timedelta(seconds=timeout))
    StudentEmail.objects.filter(
        state=StudentEmail.State.SENDING,
        claimed_at__lte=now - timedelta(seconds=timeout),
        attempts__gte=max_attempts(),
    ).update(
        state=StudentEmail.State.FAILED,
        last_error="The worker stopped during every attempt (crash, memory or time limit).",
        updated_at=now,
    )
    requeued = []
    for email_id in StudentEmail.objects.filter(lost).values_list("pk", flat=True):
        # The same condition again, in the update: a row a worker just took is left alone.
        if (
            StudentEmail.objects.filter(lost, pk=email_id).update(
                state=StudentEmail.State.QUEUED, next_attempt_at=now, updated_at=now
            )
            == 1
        ):
            requeued.append(email_id)
    for email_id in requeued:
        app.tasks[task_names.SEND_STUDENT_EMAIL].delay(email_id)
    if requeued:
        logger.info("reconcile put %d student emails back on the queue", len(requeued))
    return requeued


@transaction.atomic
def student_emails_retry_failed(*, letters: Iterable[Letter] | None = None, ids=None) -> int:
    """A coordinator's retry: failed student emails (of these letters, or these ids) are
    queued again with a new round of tries."""
    failed = StudentEmail.objects.filter(state=StudentEmail.State.FAILED)
    if letters is not None:
        failed = failed.filter(letter__in=letters)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    now = timezone.now()
    retried = []
    for email_id in failed.values_list("pk", flat=True):
        if (
            StudentEmail.objects.filter(pk=email_id, state=StudentEmail.State.FAILED).update(
                state=StudentEmail.State.QUEUED, attempts=0, next_attempt_at=now, updated_at=now
            )
            == 1
        ):
            retried.append(email_id)
    for email_id in retried:
        queue_after_commit(task_names.SEND_STUDENT_EMAIL, email_id)
    return len(retried)
