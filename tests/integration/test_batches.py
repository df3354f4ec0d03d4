"""Sending batches through a real Redis, real Celery workers and a real SMTP server."""

import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from letters import batches, outbox
from letters.models import Batch, Delivery, Letter
from tests.factories import approved_letters
from tests.integration.services import wait_for
from tests.letters.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def email_campaign(campaign, officials):
    campaign.sender_email = "campaign@example.org"
    campaign.sender_name = "Ban Landmines Campaign"
    campaign.save()
    officials[0].delivery_email = "president@example.gov"
    officials[1].delivery_email = "secretary@example.gov"
    for official in officials:
        official.save()
    return campaign


def all_deliveries_done() -> bool:
    """every delivery sent or failed"""
    return not Delivery.objects.filter(
        state__in=[Delivery.State.QUEUED, Delivery.State.SENDING]
    ).exists()


def test_fifty_letters_to_two_officials_arrive_as_a_hundred_messages(
    email_campaign, officials, coordinator, start_worker, smtp
):
    letters = approved_letters(email_campaign, 50)
    start_worker()
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    wait_for(all_deliveries_done, timeout=180)

    assert Delivery.objects.filter(batch=batch, state=Delivery.State.SENT).count() == 100
    received = smtp.received
    assert len(received) == 100
    for official in officials:
        messages = smtp.handler.messages_to(official.delivery_email)
        assert len(messages) == 50
        authors = set()
        for message in messages:
            assert message.message["From"] == "Ban Landmines Campaign <campaign@example.org>"
            assert "a letter from Student" in message.message["Subject"]
            (attachment,) = message.pdf_attachments()
            text = squash(pdf_text(attachment))
            assert f"{official.salutation}," in text
            author = next(letter for letter in letters if f"{letter.first_name} Example" in text)
            authors.add(author.pk)
        assert authors == {letter.pk for letter in letters}  # each letter once per official
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SENT}
    message_ids = {r.message_id for r in received}
    assert message_ids == {outbox.message_id_for(d.pk) for d in batch.deliveries.all()}


def test_worker_killed_mid_batch_then_reconciled_sends_everything(
    email_campaign, officials, coordinator, start_worker, smtp
):
    email_campaign.targets.set(officials[:1])
    approved_letters(email_campaign, 200)
    Letter.objects.update()  # letters go to the president only
    for letter in Letter.objects.all():
        letter.recipients.set(officials[:1])
    concurrency = 2
    first = start_worker("first", concurrency=concurrency)
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    assert batch.deliveries.count() == 200

    wait_for(lambda: len(smtp.received) >= 40, timeout=120)
    first.kill()
    sent_before = Delivery.objects.filter(state=Delivery.State.SENT).count()
    assert sent_before < 200, "the batch finished before the kill: the test proves nothing"

    start_worker("second", concurrency=concurrency)
    requeued = outbox.deliveries_reconcile(queued_grace=0, sending_timeout=0)
    assert requeued
    wait_for(all_deliveries_done, timeout=240)

    assert Delivery.objects.filter(state=Delivery.State.SENDING).count() == 0
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 200
    ids_received = [r.message_id for r in smtp.received]
    expected = {outbox.message_id_for(d.pk) for d in batch.deliveries.all()}
    assert set(ids_received) == expected  # every delivery arrived at least once
    repeats = len(ids_received) - len(expected)
    assert repeats <= concurrency  # at most the tasks in flight at the kill, same Message-ID


def test_redis_flushed_mid_batch_reconcile_puts_the_lost_back(
    email_campaign, officials, coordinator, start_worker, smtp, broker
):
    approved_letters(email_campaign, 60)
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    start_worker()
    wait_for(lambda: len(smtp.received) >= 10, timeout=120)
    broker.flushdb()  # the queued task messages are gone
    wait_for(lambda: not Delivery.objects.filter(state=Delivery.State.SENDING).exists(), timeout=60)
    lost = Delivery.objects.filter(state=Delivery.State.QUEUED).count()
    assert lost > 0, "nothing was lost: the flush came too late to prove anything"

    outbox.deliveries_reconcile(queued_grace=0, sending_timeout=0)
    wait_for(all_deliveries_done, timeout=180)
    assert batch.deliveries.filter(state=Delivery.State.SENT).count() == 120
    assert {r.message_id for r in smtp.received} == {
        outbox.message_id_for(d.pk) for d in batch.deliveries.all()
    }


def test_smtp_421_is_retried_and_then_sent(
    email_campaign, officials, coordinator, start_worker, smtp
):
    email_campaign.targets.set(officials[:1])
    (letter,) = approved_letters(email_campaign, 1)
    letter.recipients.set(officials[:1])
    smtp.handler.replies["president@example.gov"] = ["421 Try again later", "421 Still busy"]
    start_worker()
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    wait_for(all_deliveries_done, timeout=60)
    (row,) = batch.deliveries.all()
    assert row.state == Delivery.State.SENT
    assert row.attempts == 3
    assert len(smtp.received) == 1


def test_smtp_550_fails_with_the_reason_and_retry_failed_sends_once_fixed(
    email_campaign, officials, coordinator, start_worker, smtp
):
    email_campaign.targets.set(officials[:1])
    (letter,) = approved_letters(email_campaign, 1)
    letter.recipients.set(officials[:1])
    smtp.handler.replies["president@example.gov"] = ["550 No such mailbox"]
    start_worker()
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    wait_for(all_deliveries_done, timeout=60)
    (row,) = batch.deliveries.all()
    assert row.state == Delivery.State.FAILED
    assert row.attempts == 1
    assert "550 No such mailbox" in row.last_error
    assert smtp.received == []

    officials[0].delivery_email = "president.fixed@example.gov"
    officials[0].save()
    with transaction.atomic():
        assert batches.batch_retry_failed(batch=batch) == 1
    wait_for(all_deliveries_done, timeout=60)
    row.refresh_from_db()
    assert row.state == Delivery.State.SENT
    assert [r.message["To"] for r in smtp.received] == ["president.fixed@example.gov"]


def test_two_workers_given_the_same_delivery_send_one_message(
    email_campaign, officials, coordinator, start_worker, smtp
):
    from letters import tasks

    email_campaign.targets.set(officials[:1])
    (letter,) = approved_letters(email_campaign, 1)
    letter.recipients.set(officials[:1])
    with transaction.atomic():
        batch = Batch.objects.create(
            campaign=email_campaign, method=Batch.Method.EMAIL, letter_count=1
        )
        row = Delivery.objects.create(
            batch=batch,
            letter=letter,
            official=officials[0],
            channel=Delivery.Channel.EMAIL,
            to_email=officials[0].delivery_email,
        )
    for _ in range(10):
        tasks.send_delivery.delay(row.pk)
    start_worker("one")
    start_worker("two")
    wait_for(lambda: Delivery.objects.get(pk=row.pk).state == Delivery.State.SENT, timeout=60)
    wait_for(lambda: broker_empty(), timeout=30)
    assert len(smtp.received) == 1


def broker_empty() -> bool:
    import redis

    from config.celery import app

    return redis.Redis.from_url(app.conf.broker_url).llen("celery") == 0


def test_batch_in_a_rolled_back_transaction_queues_nothing(email_campaign, coordinator, broker):
    approved_letters(email_campaign, 3)
    # The letters' own tasks (each student's PDF, rendered ahead of their download) are queued.
    queued = broker.llen("celery")

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        batches.batch_start(campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator)
        raise Abandon
    assert broker.llen("celery") == queued
    assert not Delivery.objects.exists()
    assert not Batch.objects.exists()


def test_550_for_the_official_sends_no_copy_and_retry_sends_exactly_one_of_each(
    email_campaign, officials, coordinator, start_worker, smtp
):
    from tests.factories import OfficialFactory

    adviser = OfficialFactory(office="National Security Advisor", delivery_email="nsa@example.gov")
    email_campaign.cc.set([adviser])
    email_campaign.targets.set(officials[:1])
    (letter,) = approved_letters(email_campaign, 1, email="student@example.org")
    letter.recipients.set(officials[:1])
    smtp.handler.replies["president@example.gov"] = ["550 No such mailbox"]
    start_worker()
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    wait_for(all_deliveries_done, timeout=60)
    official = batch.deliveries.get(role=Delivery.Role.TO)
    copy = batch.deliveries.get(role=Delivery.Role.CC)
    assert official.state == Delivery.State.FAILED and "550 No such mailbox" in official.last_error
    assert copy.state == Delivery.State.WAITING
    assert Letter.objects.get().status == Letter.Status.APPROVED

    def letters_received():  # the private link the student got on submitting is not a letter
        return [r for r in smtp.received if r.message.get_content_type() == "multipart/mixed"]

    assert letters_received() == []  # neither the cc office nor the student got anything

    officials[0].delivery_email = "president.fixed@example.gov"
    officials[0].save()
    with transaction.atomic():
        assert batches.batch_retry_failed(batch=batch) == 1
    wait_for(lambda: len(letters_received()) >= 3, timeout=60)
    wait_for(all_deliveries_done, timeout=60)
    time.sleep(1)  # nothing more arrives
    received = letters_received()
    assert sorted(address for r in received for address in r.recipients) == [
        "nsa@example.gov",
        "president.fixed@example.gov",
        "student@example.org",
    ]
    assert all(len(r.recipients) == 1 for r in received)  # one transaction per recipient
    assert len({r.message_id for r in received}) == 3
    assert {d.state for d in batch.deliveries.all()} == {Delivery.State.SENT}
    assert Letter.objects.get().status == Letter.Status.SENT


def test_smtp_421_shows_the_pending_reason_on_the_batch_page(
    email_campaign, officials, coordinator, start_worker, smtp, client
):
    email_campaign.targets.set(officials[:1])
    email_campaign.coordinators.add(coordinator)
    (letter,) = approved_letters(email_campaign, 1)
    letter.recipients.set(officials[:1])
    smtp.handler.replies["president@example.gov"] = ["421 Greylisted, come back later"] * 4
    client.force_login(coordinator)
    start_worker()
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    page_url = reverse("coordinate:batch", args=[batch.pk])

    def page_shows_the_wait() -> bool:
        page = client.get(page_url).content.decode()
        return "Waiting to be tried again" in page and "421 Greylisted, come back later" in page

    wait_for(page_shows_the_wait, timeout=60)
    wait_for(all_deliveries_done, timeout=60)
    assert batch.deliveries.get().state == Delivery.State.SENT
    assert "Waiting to be tried again" not in client.get(page_url).content.decode()


def test_a_pathological_letter_fails_cleanly_and_the_next_one_is_sent(
    email_campaign, officials, coordinator, start_worker, smtp, worker_env
):
    email_campaign.targets.set(officials[:1])
    monster, normal = approved_letters(email_campaign, 2)
    for letter in (monster, normal):
        letter.recipients.set(officials[:1])
    # Far past anything the form accepts: as if the database had been edited by hand.
    snapshot = Letter.objects.get(pk=monster.pk).snapshot
    snapshot["personal_paragraph"] = ("A very long paragraph that goes on. " * 20 + "\n") * 1500
    Letter.objects.filter(pk=monster.pk).update(snapshot=snapshot)
    worker_env["CELERY_TASK_SOFT_TIME_LIMIT"] = "3"
    worker_env["CELERY_TASK_TIME_LIMIT"] = "10"
    start_worker(concurrency=1)
    batch = batches.batch_start(
        campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator
    )
    wait_for(all_deliveries_done, timeout=120)
    failed = batch.deliveries.get(letter=monster)
    assert failed.state == Delivery.State.FAILED
    assert "time limit" in failed.last_error
    assert batch.deliveries.get(letter=normal).state == Delivery.State.SENT
    assert [r.message_id for r in smtp.received] == [
        outbox.message_id_for(batch.deliveries.get(letter=normal).pk)
    ]


def _database_clock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _worker_backends(since) -> set[int]:
    """The PostgreSQL backends on the test database opened since `since` (when the worker was
    started), other than this test's own: the worker's. An older one may still be open: a
    connection an earlier test's thread left (a browser test's server thread) closes only when
    the garbage collector takes it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_start >= %s",
            [since],
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="connections are kept on PostgreSQL only"
)
def test_a_worker_keeps_its_database_and_smtp_connections_across_a_batch(
    email_campaign, officials, coordinator, start_worker, smtp
):
    """One worker process sends two batches: its database connection is the same one
    throughout (Celery alone would open one per task), and its messages share one SMTP
    connection."""
    email_campaign.targets.set(officials[:1])
    approved_letters(email_campaign, 10)
    for letter in Letter.objects.all():
        letter.recipients.set(officials[:1])
    started = _database_clock()
    start_worker(concurrency=1)
    batches.batch_start(campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator)
    wait_for(all_deliveries_done, timeout=120)
    first = _worker_backends(started)
    assert len(first) == 1

    approved_letters(email_campaign, 10)
    for letter in Letter.objects.filter(status=Letter.Status.APPROVED):
        letter.recipients.set(officials[:1])
    batches.batch_start(campaign=email_campaign, method=Batch.Method.EMAIL, user=coordinator)
    wait_for(all_deliveries_done, timeout=120)
    assert _worker_backends(started) == first
    assert len(smtp.received) == 20
    assert len({received.peer for received in smtp.received}) == 1
