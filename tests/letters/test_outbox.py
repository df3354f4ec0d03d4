"""The outbox rules, in one process: claims, due times, reconcile, Message-IDs, races."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from letters import batches, outbox
from letters.models import Batch, Delivery, Letter
from tests.factories import approved_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(campaign, officials):
    (letter,) = approved_letters(campaign, 1)
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.EMAIL)
    return Delivery.objects.create(
        batch=batch,
        letter=letter,
        official=officials[0],
        channel=Delivery.Channel.EMAIL,
        to_email="president@example.gov",
        next_attempt_at=timezone.now(),
    )


def test_a_retry_that_is_not_due_is_not_claimed(row):
    Delivery.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert outbox.delivery_send(delivery_id=row.pk).outcome == "skipped"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (Delivery.State.QUEUED, 0)


def test_a_sent_delivery_is_never_sent_again(row, mailoutbox):
    assert outbox.delivery_send(delivery_id=row.pk).outcome == "sent"
    assert outbox.delivery_send(delivery_id=row.pk).outcome == "skipped"
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert row.message_id == mailoutbox[0].extra_headers["Message-ID"]


def test_message_id_is_stable_and_specific_to_this_installation(settings):
    first = outbox.message_id_for(7)
    assert first == outbox.message_id_for(7)
    assert first.startswith("<delivery-7.") and first.endswith(f"@{settings.MESSAGE_ID_DOMAIN}>")
    settings.SECRET_KEY = "another installation"
    assert outbox.message_id_for(7) != first


def test_a_returned_letter_is_not_sent_from_an_old_batch(row, mailoutbox):
    Letter.objects.filter(pk=row.letter_id).update(status=Letter.Status.RETURNED)
    result = outbox.delivery_send(delivery_id=row.pk)
    assert result.outcome == "failed"
    assert mailoutbox == []


def test_reconcile_fails_a_delivery_whose_worker_died_every_time(row, settings):
    Delivery.objects.filter(pk=row.pk).update(
        state=Delivery.State.SENDING,
        attempts=settings.DELIVERY_MAX_ATTEMPTS,
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    assert outbox.deliveries_reconcile() == []
    row.refresh_from_db()
    assert row.state == Delivery.State.FAILED
    assert "worker stopped" in row.last_error


def test_reconcile_leaves_a_long_queue_alone(campaign, officials, settings):
    settings.DELIVERY_QUEUED_GRACE_SECONDS = 60
    settings.DELIVERY_ASSUMED_RATE = 1
    letters = approved_letters(campaign, 3)
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.EMAIL)
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    for letter in letters:
        Delivery.objects.create(
            batch=batch,
            letter=letter,
            official=officials[0],
            channel=Delivery.Channel.EMAIL,
            to_email="p@example.gov",
            next_attempt_at=ten_minutes_ago,
        )
    # 3 queued at 1 a second: lost after 60 + 3 seconds; ten minutes is long past that.
    assert len(outbox.deliveries_reconcile()) == 3
    settings.DELIVERY_ASSUMED_RATE = 0.001  # as if 3 deliveries took 50 minutes
    Delivery.objects.update(next_attempt_at=ten_minutes_ago)
    assert outbox.deliveries_reconcile() == []


def test_returning_a_letter_already_in_a_batch_changes_nothing(campaign, settings, tmp_path):
    from letters import services

    settings.MEDIA_ROOT = tmp_path
    letters = approved_letters(campaign, 2)
    batches.batch_start(campaign=campaign, method="print", user=None)
    assert services.letters_return(letters=letters, comment="Please change it.") == 0
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}


@pytest.mark.django_db(transaction=True)
def test_two_batches_started_at_once_take_each_letter_once(campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 5)
    outcomes, barrier = [], threading.Barrier(2)

    def start():
        barrier.wait()
        try:
            outcomes.append(
                batches.batch_start(campaign=campaign, method="print", user=None).letter_count
            )
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes, key=str) == [5, "There are no approved letters waiting to be sent."]
    assert Delivery.objects.count() == 10
