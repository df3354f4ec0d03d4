"""Batches: a coordinator sends the approved letters of a campaign (or team) by email or post.

Starting a batch writes one Delivery per letter and official in the outbox (`letters.outbox`) and
queues the sending after the transaction commits; print deliveries go into one print pack.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign, Team
from campaign.services import sender_email_check
from config.celery import app, queue_after_commit
from letters import task_names
from letters.documents import build_print_pack
from letters.models import Batch, Delivery, Letter
from letters.outbox import deliveries_mark_sent

logger = logging.getLogger(__name__)


def waiting_to_send() -> Q:
    """Approved letters that no batch has taken yet (of any campaign)."""
    # NOT EXISTS rather than a join: a row lock cannot be taken through an outer join.
    return Q(status=Letter.Status.APPROVED) & ~Exists(
        Delivery.objects.filter(letter=OuterRef("pk"))
    )


def sendable_letters(*, campaign: Campaign, team: Team | None = None):
    """Approved letters of the campaign (or team) that no batch has taken yet."""
    letters = Letter.objects.filter(waiting_to_send(), campaign=campaign)
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
    if method == Batch.Method.EMAIL:
        sender_email_check(email=campaign.sender_email)  # the domains may have changed since
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
    copied = list(campaign.cc.all())
    deliveries = []
    for letter in letters:
        addressees = list(letter.recipients.all())
        # One delivery per office: each is its own message (email) or its own place in the
        # pack (print), so one refusal never holds up, or repeats, another.
        offices = [(o, Delivery.Role.TO) for o in addressees] + [
            (o, Delivery.Role.CC) for o in copied if o not in addressees
        ]
        for official, role in offices:
            by_email = method == Batch.Method.EMAIL and bool(official.delivery_email)
            # An emailed copy waits until the addressees accepted the letter: nobody gets a
            # copy of a letter its addressee never received.
            waits = by_email and role == Delivery.Role.CC
            deliveries.append(
                Delivery(
                    batch=batch,
                    letter=letter,
                    official=official,
                    role=role,
                    channel=Delivery.Channel.EMAIL if by_email else Delivery.Channel.PRINT,
                    to_email=official.delivery_email if by_email else "",
                    state=Delivery.State.WAITING if waits else Delivery.State.QUEUED,
                    next_attempt_at=None if waits else now,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    queue_after_commit(task_names.DISPATCH_BATCH, batch.pk)
    return batch


def batch_dispatch(*, batch_id: int) -> int:
    """Queue a task for each queued email delivery of the batch, and the print pack if needed."""
    email_ids = Delivery.objects.filter(
        batch_id=batch_id, channel=Delivery.Channel.EMAIL, state=Delivery.State.QUEUED
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in email_ids.iterator(chunk_size=1000):
        app.tasks[task_names.SEND_DELIVERY].delay(delivery_id)
        count += 1
    if Delivery.objects.filter(batch_id=batch_id, channel=Delivery.Channel.PRINT).exists():
        app.tasks[task_names.BUILD_PRINT_PACK].delay(batch_id)
    return count


# --- Print ---------------------------------------------------------------------------------------


def batch_build_pack(*, batch_id: int) -> bool:
    """Render the batch's print pack and store it; its print deliveries are then `packed`
    (they become `sent` when a coordinator marks the batch mailed). A failure is recorded on the
    batch for the coordinator to see, with a button to try again."""
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
    Batch.objects.filter(pk=batch.pk).update(pack_error="")
    queue_after_commit(task_names.BUILD_PRINT_PACK, batch.pk)


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
        deliveries_mark_sent([pk for pk, _letter in packed], message_ids=False)
    return batch


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
    for delivery_id in ids:
        queue_after_commit(task_names.SEND_DELIVERY, delivery_id)
    return len(ids)


def batch_discard_pack(*, batch: Batch) -> None:
    """Delete the batch's print pack (it holds students' words); it can be built again."""
    if batch.pack:
        batch.pack.delete(save=False)
    Batch.objects.filter(pk=batch.pk).update(pack="", pack_built_at=None)
