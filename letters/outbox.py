"""The outbox: one Delivery row per letter and official, sent by email, retried, reconciled.

The database is the record of truth. A Delivery is written before its task is queued (after the
transaction commits), and moves queued -> sending -> sent | failed through conditional updates, so
two workers never send the same delivery and a row is never sent again once it reached `sent`. A
crash or a lost broker leaves rows queued or sending; `deliveries_reconcile` puts them back. The
Message-ID is derived from the delivery id, so a repeat after a crash is the same message.
"""

import hashlib
import hmac
import logging
import random
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from campaign.languages import text_in
from config.celery import app, queue_after_commit
from letters import rendering, task_names
from letters.documents import letter_pdf_for
from letters.emails import build_email
from letters.models import Batch, Delivery, Letter, StudentEmail
from letters.smtp import DUE_TOLERANCE, Outcome, SendResult, classify_error, send_checked
from letters.student_emails import student_email_queue

logger = logging.getLogger(__name__)


def message_id_for(delivery_id: int) -> str:
    """The same for every attempt at one delivery, and different between installations (a
    mailbox that saw an id before may silently drop a new message carrying it)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"delivery-{delivery_id}".encode(), hashlib.sha256
    ).hexdigest()[:12]
    return f"<delivery-{delivery_id}.{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: base, 2x base, 4x base ... capped, each ±50%."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1))
    return min(settings.DELIVERY_RETRY_MAX_SECONDS, base) * random.uniform(0.5, 1.5)


def _email_message(delivery: Delivery):
    """One message to one office, in a transaction of its own: a copy for a cc office is its own
    delivery, and the student's copy goes once the addressees accepted (`letters_mark_sent`)."""
    letter, official, campaign = delivery.letter, delivery.official, delivery.letter.campaign
    addressee = delivery.written_to()
    page = rendering.render_letter(letter, official_id=addressee.pk).pages[0]
    message = build_email(
        "letter_to_official",
        {
            "letter": letter,
            "official": official,
            "campaign": campaign,
            "page": page,
            "text": rendering.page_text(page),
        },
        to=[delivery.to_email],
        from_email=formataddr(
            (
                campaign.sender_name or text_in(campaign, "title", letter.template.language)[0],
                campaign.sender_email,
            )
        ),
        headers={"Message-ID": message_id_for(delivery.pk)},
        language=letter.template.language,
    )
    message.attach(
        f"letter-to-{addressee.slug}.pdf", letter_pdf_for(letter, addressee), "application/pdf"
    )
    return message


def delivery_send(*, delivery_id: int) -> SendResult:
    """Send one email delivery, if it is queued and due; record what happened."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(
            pk=delivery_id, state=Delivery.State.QUEUED, channel=Delivery.Channel.EMAIL
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + DUE_TOLERANCE))
        .update(state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return SendResult(Outcome.SKIPPED)  # sent, being sent, failed, or its retry is not due yet
    delivery = Delivery.objects.select_related("letter__campaign", "official").get(pk=delivery_id)
    if delivery.letter.status not in (Letter.Status.APPROVED, Letter.Status.SENT):
        reason = "The letter is no longer approved (it was returned or changed): not sent."
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.FAILED, last_error=reason
        )
        return SendResult(Outcome.FAILED, reason=reason)
    try:
        send_checked(_email_message(delivery), primary=[delivery.to_email])
    except Exception as error:
        temporary, reason = classify_error(error)
        logger.warning("delivery %s attempt %s failed: %s", delivery_id, delivery.attempts, reason)
        if temporary and delivery.attempts < settings.DELIVERY_MAX_ATTEMPTS:
            delay = retry_delay(delivery.attempts)
            Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
                state=Delivery.State.QUEUED,
                last_error=reason[:2000],
                next_attempt_at=timezone.now() + timedelta(seconds=delay),
            )
            return SendResult(Outcome.RETRY, retry_in=delay, reason=reason)
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.FAILED, last_error=reason[:2000]
        )
        return SendResult(Outcome.FAILED, reason=reason)
    deliveries_mark_sent([delivery_id], message_ids=True)
    return SendResult(Outcome.SENT)


@transaction.atomic
def deliveries_mark_sent(delivery_ids: list[int], *, message_ids: bool) -> None:
    """Record deliveries as sent, and letters whose every delivery is sent as sent."""
    now = timezone.now()
    # order_by(): no join for the model's ordering (by batch) in what only needs the rows.
    rows = (
        Delivery.objects.filter(pk__in=delivery_ids).exclude(state=Delivery.State.SENT).order_by()
    )
    letter_ids = set(rows.values_list("letter_id", flat=True))
    if message_ids:
        for delivery_id in delivery_ids:
            rows.filter(pk=delivery_id).update(
                state=Delivery.State.SENT,
                sent_at=now,
                message_id=message_id_for(delivery_id),
                last_error="",
            )
    else:
        rows.update(state=Delivery.State.SENT, sent_at=now, last_error="")
    _letters_mark_sent_when_delivered(letter_ids, now=now)


def _letters_mark_sent_when_delivered(letter_ids, *, now) -> int:
    """Letters whose every addressee has their letter are sent; their students get a copy
    (once: only a letter that changes to sent here queues one)."""
    # Lock the letters first: two workers finishing the two deliveries of one letter at the
    # same moment would otherwise each see the other's delivery unfinished, and neither would
    # mark the letter sent. With the lock, the second sees the first's committed work.
    # In the order of their keys, as every other locker of several letters takes them.
    locked = Letter.objects.select_for_update().filter(pk__in=letter_ids).order_by("pk")
    list(locked.values_list("pk", flat=True))
    unfinished = (
        Delivery.objects.filter(letter=OuterRef("pk"), role=Delivery.Role.TO)
        .exclude(state=Delivery.State.SENT)
        .order_by()
    )
    done = list(
        Letter.objects.filter(pk__in=letter_ids, status=Letter.Status.APPROVED)
        .filter(~Exists(unfinished))
        .order_by()
    )
    done_ids = [letter.pk for letter in done]
    changed = Letter.objects.filter(pk__in=done_ids).update(status=Letter.Status.SENT, sent_at=now)
    for letter in done:
        if letter.email:
            letter.status, letter.sent_at = Letter.Status.SENT, now  # as the update left it
            student_email_queue(letter=letter, kind=StudentEmail.Kind.COPY, now=now)
    _copies_release(letter_ids=done_ids, now=now)
    return changed


def _copies_release(*, letter_ids, now) -> None:
    """Queue the copies that waited for these (sent) letters' addressees."""
    waiting = Delivery.objects.filter(
        letter_id__in=letter_ids, state=Delivery.State.WAITING
    ).order_by()
    ids = list(waiting.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, state=Delivery.State.WAITING).update(
        state=Delivery.State.QUEUED, next_attempt_at=now
    )
    for delivery_id in ids:
        queue_after_commit(task_names.SEND_DELIVERY, delivery_id)


# --- Recovering ---------------------------------------------------------------------------------


def _default_queued_grace() -> float:
    """How long a queued delivery may wait before it counts as lost: the configured grace,
    plus the time the queue in front of it takes at a modest rate, so a long batch still being
    worked through is not queued a second time."""
    backlog = Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL, state=Delivery.State.QUEUED
    ).count()
    return settings.DELIVERY_QUEUED_GRACE_SECONDS + backlog / settings.DELIVERY_ASSUMED_RATE


def deliveries_reconcile(
    *, queued_grace: float | None = None, sending_timeout: float | None = None
) -> list[int]:
    """Put back on the queue the work a crash or a lost broker left behind.

    Email deliveries queued and due for longer than `queued_grace` seconds, and deliveries
    claimed (`sending`) longer than `sending_timeout` seconds ago (longer than a task may run),
    go back to queued with a new task; a delivery whose worker died at every attempt fails.
    Print packs that were never built are queued again, and letters whose deliveries are all
    sent are marked sent. Returns the ids of the re-queued deliveries.
    """
    now = timezone.now()
    queued_grace = _default_queued_grace() if queued_grace is None else queued_grace
    sending_timeout = (
        settings.DELIVERY_SENDING_TIMEOUT_SECONDS if sending_timeout is None else sending_timeout
    )
    lost_queued = Q(
        state=Delivery.State.QUEUED, next_attempt_at__lte=now - timedelta(seconds=queued_grace)
    )
    lost_sending = Q(
        state=Delivery.State.SENDING, claimed_at__lte=now - timedelta(seconds=sending_timeout)
    )
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    emails.filter(lost_sending, attempts__gte=settings.DELIVERY_MAX_ATTEMPTS).update(
        state=Delivery.State.FAILED,
        last_error="The worker stopped during every attempt (crash, memory or time limit).",
    )
    requeued = []
    for delivery_id in emails.filter(lost_queued | lost_sending).values_list("pk", flat=True):
        # The same condition again, in the update: a row a worker just took is left alone.
        changed = emails.filter(lost_queued | lost_sending, pk=delivery_id).update(
            state=Delivery.State.QUEUED, next_attempt_at=now
        )
        if changed:
            requeued.append(delivery_id)
    for delivery_id in requeued:
        app.tasks[task_names.SEND_DELIVERY].delay(delivery_id)

    unbuilt = (
        Batch.objects.filter(
            pack="", pack_error="", created_at__lte=now - timedelta(seconds=queued_grace)
        )
        .filter(deliveries__channel=Delivery.Channel.PRINT, deliveries__state=Delivery.State.QUEUED)
        .distinct()
    )
    for batch_id in unbuilt.values_list("pk", flat=True):
        app.tasks[task_names.BUILD_PRINT_PACK].delay(batch_id)

    in_batches = Letter.objects.filter(status=Letter.Status.APPROVED, deliveries__isnull=False)
    with transaction.atomic():
        _letters_mark_sent_when_delivered(list(in_batches.values_list("pk", flat=True)), now=now)
        # Copies still waiting for letters already sent (a crash between the two steps).
        stranded = Delivery.objects.filter(
            state=Delivery.State.WAITING, letter__status=Letter.Status.SENT
        ).values_list("letter_id", flat=True)
        _copies_release(letter_ids=list(stranded), now=now)
    if requeued:
        logger.info("reconcile put %d deliveries back on the queue", len(requeued))
    return requeued
