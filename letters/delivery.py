"""How letters leave the app: batches, and one Delivery row per letter and official.

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
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaign.models import Campaign, Team
from letters import rendering
from letters.documents import letter_pdf_for
from letters.emails import build_email
from letters.models import Batch, Delivery, Letter
from letters.smtp import send_checked

logger = logging.getLogger(__name__)


def private_link(letter: Letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("letters:detail", args=[letter.token])


def send_private_link(*, letter: Letter) -> None:
    """Email the student the private link to their letter (only if they gave an address)."""
    if not letter.email:
        return
    with translation.override(letter.template.language):
        message = build_email(
            "private_link",
            {"letter": letter, "campaign": letter.campaign, "link": private_link(letter)},
            to=[letter.email],
        )
    message.send()


def send_student_copy(*, letter: Letter) -> None:
    """The student's copy of a letter that went by post: the PDF, and where it went."""
    if not letter.email:
        return
    with translation.override(letter.template.language):
        message = build_email(
            "student_copy",
            {
                "letter": letter,
                "campaign": letter.campaign,
                "link": private_link(letter),
                "officials": [d.official for d in letter.deliveries.select_related("official")],
            },
            to=[letter.email],
        )
    rendered = rendering.render_letter(letter)
    message.attach(
        f"letter-{letter.campaign.slug}.pdf", rendering.letter_pdf(rendered), "application/pdf"
    )
    message.send()


def message_id_for(delivery_id: int) -> str:
    """The same for every attempt at one delivery, and different between installations (a
    mailbox that saw an id before may silently drop a new message carrying it)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"delivery-{delivery_id}".encode(), hashlib.sha256
    ).hexdigest()[:12]
    return f"<delivery-{delivery_id}.{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def _queue_after_commit(send) -> None:
    """Queue task messages once the transaction commits. A broker that is down then does not
    turn a saved batch into an error page: the rows are queued in the database and the
    reconcile task sends them when the broker is back."""

    def queue() -> None:
        try:
            send()
        except Exception:
            logger.exception("could not queue a task; the reconcile task will")

    transaction.on_commit(queue)


# --- Starting a batch -------------------------------------------------------------------------


def sendable_letters(*, campaign: Campaign, team: Team | None = None):
    """Approved letters of the campaign (or team) that no batch has taken yet."""
    # NOT EXISTS rather than a join: a row lock cannot be taken through an outer join.
    taken = Delivery.objects.filter(letter=OuterRef("pk"))
    letters = Letter.objects.filter(campaign=campaign, status=Letter.Status.APPROVED).filter(
        ~Exists(taken)
    )
    return letters.filter(team=team) if team is not None else letters


@transaction.atomic
def batch_start(
    *, campaign: Campaign, method: str, user: AbstractBaseUser | None, team: Team | None = None
) -> Batch:
    """Write a batch and its deliveries; queue the sending once the transaction commits."""
    if method not in Batch.Method.values:
        raise ValidationError({"method": _("Choose email or print.")})
    if team is not None and team.campaign_id != campaign.pk:
        raise ValidationError({"team": _("That team belongs to another campaign.")})
    if method == Batch.Method.EMAIL and not campaign.sender_email:
        raise ValidationError(
            {"method": _("Set the campaign's sender address before sending by email.")}
        )
    # One batch start at a time per campaign: a second, simultaneous one waits here, then finds
    # the letters taken. The letter rows are locked too, so a coordinator returning a letter
    # waits for the batch (see services.letters_return).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    letters = list(
        sendable_letters(campaign=campaign, team=team)
        .select_for_update()
        .prefetch_related("recipients")
        .order_by("pk")
    )
    if not letters:
        raise ValidationError(_("There are no approved letters waiting to be sent."))
    batch = Batch.objects.create(
        campaign=campaign, team=team, method=method, created_by=user, letter_count=len(letters)
    )
    now = timezone.now()
    deliveries = []
    for letter in letters:
        for official in letter.recipients.all():
            by_email = method == Batch.Method.EMAIL and bool(official.delivery_email)
            deliveries.append(
                Delivery(
                    batch=batch,
                    letter=letter,
                    official=official,
                    channel=Delivery.Channel.EMAIL if by_email else Delivery.Channel.PRINT,
                    to_email=official.delivery_email if by_email else "",
                    next_attempt_at=now,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    batch_id = batch.pk

    def queue() -> None:
        from letters import tasks

        tasks.dispatch_batch.delay(batch_id)

    _queue_after_commit(queue)
    return batch


def batch_dispatch(*, batch_id: int) -> int:
    """Queue a task for each queued email delivery of the batch, and the print pack if needed."""
    from letters import tasks

    email_ids = Delivery.objects.filter(
        batch_id=batch_id, channel=Delivery.Channel.EMAIL, state=Delivery.State.QUEUED
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in email_ids.iterator(chunk_size=1000):
        tasks.send_delivery.delay(delivery_id)
        count += 1
    if Delivery.objects.filter(batch_id=batch_id, channel=Delivery.Channel.PRINT).exists():
        tasks.build_print_pack.delay(batch_id)
    return count


# --- Sending one delivery ---------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    outcome: str  # "sent", "retry", "failed" or "skipped"
    retry_in: float | None = None
    reason: str = ""


def _classify(error: Exception) -> tuple[bool, str]:
    """(temporary?, reason) for an error raised while sending."""
    if isinstance(error, SoftTimeLimitExceeded):
        return False, "The letter took longer than the time limit to render and send."
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        reason = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )
        return all(400 <= code < 500 for code in codes), f"Recipient refused: {reason}"
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return 400 <= error.smtp_code < 500, f"SMTP {error.smtp_code}: {text}"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout):
        return True, f"Connection problem: {error}"
    if isinstance(error, OSError):
        return True, f"Network error: {error}"
    return False, f"{type(error).__name__}: {error}"


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: base, 2x base, 4x base ... capped, each ±50%."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1))
    return min(settings.DELIVERY_RETRY_MAX_SECONDS, base) * random.uniform(0.5, 1.5)


def _email_message(delivery: Delivery):
    letter, official, campaign = delivery.letter, delivery.official, delivery.letter.campaign
    cc = [o.delivery_email for o in campaign.cc.all() if o.delivery_email]
    page = rendering.render_letter(letter, official_id=official.pk).pages[0]
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
        cc=cc,
        from_email=formataddr((campaign.sender_name or campaign.title, campaign.sender_email)),
        headers={"Message-ID": message_id_for(delivery.pk)},
    )
    if letter.email:
        message.bcc = [letter.email]  # the student's copy of what was sent
    message.attach(
        f"letter-to-{official.slug}.pdf", letter_pdf_for(letter, official), "application/pdf"
    )
    return message


#: A task may arrive this much before its delivery's retry is due (clocks of several machines).
DUE_TOLERANCE = timedelta(seconds=2)


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
        return SendResult("skipped")  # sent, being sent, failed, or its retry is not due yet
    delivery = Delivery.objects.select_related("letter__campaign", "official").get(pk=delivery_id)
    if delivery.letter.status not in (Letter.Status.APPROVED, Letter.Status.SENT):
        reason = "The letter is no longer approved (it was returned or changed): not sent."
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.FAILED, last_error=reason
        )
        return SendResult("failed", reason=reason)
    try:
        send_checked(_email_message(delivery), primary=[delivery.to_email])
    except Exception as error:
        temporary, reason = _classify(error)
        logger.warning("delivery %s attempt %s failed: %s", delivery_id, delivery.attempts, reason)
        if temporary and delivery.attempts < settings.DELIVERY_MAX_ATTEMPTS:
            delay = retry_delay(delivery.attempts)
            Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
                state=Delivery.State.QUEUED,
                last_error=reason[:2000],
                next_attempt_at=timezone.now() + timedelta(seconds=delay),
            )
            return SendResult("retry", retry_in=delay, reason=reason)
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.FAILED, last_error=reason[:2000]
        )
        return SendResult("failed", reason=reason)
    _mark_sent([delivery_id], message_ids=True)
    return SendResult("sent")


@transaction.atomic
def _mark_sent(delivery_ids: list[int], *, message_ids: bool) -> None:
    """Record deliveries as sent, and letters whose every delivery is sent as sent."""
    now = timezone.now()
    rows = Delivery.objects.filter(pk__in=delivery_ids).exclude(state=Delivery.State.SENT)
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
    # Lock the letters first: two workers finishing the two deliveries of one letter at the
    # same moment would otherwise each see the other's delivery unfinished, and neither would
    # mark the letter sent. With the lock, the second sees the first's committed work.
    list(Letter.objects.select_for_update().filter(pk__in=letter_ids).values_list("pk", flat=True))
    unfinished = Delivery.objects.filter(letter=OuterRef("pk")).exclude(state=Delivery.State.SENT)
    return (
        Letter.objects.filter(pk__in=letter_ids, status=Letter.Status.APPROVED)
        .filter(~Exists(unfinished))
        .update(status=Letter.Status.SENT, sent_at=now)
    )


# --- Print -------------------------------------------------------------------------------------


def batch_build_pack(*, batch_id: int) -> bool:
    """Render the batch's print pack and store it; its print deliveries are then `packed`
    (they become `sent` when a coordinator marks the batch mailed). A failure is recorded on the
    batch for the coordinator to see, with a button to try again."""
    from django.core.files.base import ContentFile

    from letters.documents import build_print_pack

    batch = Batch.objects.select_related("campaign", "created_by").get(pk=batch_id)
    try:
        content = build_print_pack(batch)
    except Exception as error:
        logger.exception("print pack of batch %s failed", batch_id)
        Batch.objects.filter(pk=batch_id).update(
            pack_error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    old = batch.pack.name if batch.pack else None
    batch.pack.save(f"batch-{batch.pk}-pack.pdf", ContentFile(content), save=False)
    batch.pack_built_at = timezone.now()
    batch.pack_error = ""
    batch.save(update_fields=["pack", "pack_built_at", "pack_error"])
    if old:
        batch.pack.storage.delete(old)
    batch.deliveries.filter(channel=Delivery.Channel.PRINT, state=Delivery.State.QUEUED).update(
        state=Delivery.State.PACKED
    )
    return True


@transaction.atomic
def batch_rebuild_pack(*, batch: Batch) -> None:
    """Try the print pack again (after a failure, or if it was lost)."""
    from letters import tasks

    Batch.objects.filter(pk=batch.pk).update(pack_error="")
    batch_id = batch.pk
    _queue_after_commit(lambda: tasks.build_print_pack.delay(batch_id))


@transaction.atomic
def batch_record_steps(
    *, batch: Batch, printed: bool, mailed: bool, reply_received: bool, reply_note: str
) -> Batch:
    """The steps of a print batch a coordinator marks by hand. Mailed: its letters are sent."""
    now = timezone.now()
    batch.printed_at = (batch.printed_at or now) if printed else None
    batch.mailed_at = (batch.mailed_at or now) if mailed else None
    batch.reply_received_at = (batch.reply_received_at or now) if reply_received else None
    batch.reply_note = reply_note.strip()
    batch.save(update_fields=["printed_at", "mailed_at", "reply_received_at", "reply_note"])
    if mailed:
        packed = list(
            batch.deliveries.filter(state=Delivery.State.PACKED).values_list("pk", "letter_id")
        )
        _mark_sent([pk for pk, _letter in packed], message_ids=False)
        # Students who gave an address get a copy of their letter once it is in the post
        # (letters sent by email reached them as a Bcc of the message itself).
        posted = Letter.objects.filter(
            pk__in={letter for _pk, letter in packed}, status=Letter.Status.SENT
        ).exclude(email="")

        def queue() -> None:
            from letters import tasks

            for letter_id in posted.values_list("pk", flat=True):
                tasks.send_student_copy.delay(letter_id)

        _queue_after_commit(queue)
    return batch


# --- Recovering and retrying ------------------------------------------------------------------


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
    from letters import tasks

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
        tasks.send_delivery.delay(delivery_id)

    unbuilt = (
        Batch.objects.filter(
            pack="", pack_error="", created_at__lte=now - timedelta(seconds=queued_grace)
        )
        .filter(deliveries__channel=Delivery.Channel.PRINT, deliveries__state=Delivery.State.QUEUED)
        .distinct()
    )
    for batch_id in unbuilt.values_list("pk", flat=True):
        tasks.build_print_pack.delay(batch_id)

    in_batches = Letter.objects.filter(status=Letter.Status.APPROVED, deliveries__isnull=False)
    with transaction.atomic():
        _letters_mark_sent_when_delivered(list(in_batches.values_list("pk", flat=True)), now=now)
    if requeued:
        logger.info("reconcile put %d deliveries back on the queue", len(requeued))
    return requeued


@transaction.atomic
def batch_retry_failed(*, batch: Batch) -> int:
    """Queue the batch's failed email deliveries again (e.g. after an address was fixed)."""
    failed = list(
        batch.deliveries.filter(
            state=Delivery.State.FAILED, channel=Delivery.Channel.EMAIL
        ).select_related("official")
    )
    now = timezone.now()
    ids = []
    for delivery in failed:
        email = delivery.official.delivery_email
        changed = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.FAILED).update(
            state=Delivery.State.QUEUED,
            attempts=0,
            to_email=email or delivery.to_email,
            next_attempt_at=now,
        )
        if changed:
            ids.append(delivery.pk)

    def queue() -> None:
        from letters import tasks

        for delivery_id in ids:
            tasks.send_delivery.delay(delivery_id)

    _queue_after_commit(queue)
    return len(ids)
