"""The students' outbox in one process: rows, claims, the backoff schedule, reconcile, retries."""

import datetime
import smtplib

import pytest
from django.urls import reverse
from django.utils import timezone

from letters import batches, services, student_emails
from letters.models import Batch, Letter, StudentEmail
from tests.factories import LetterFactory, approved_letters

pytestmark = pytest.mark.django_db

SCHEDULE = [60.0, 300.0, 900.0, 3600.0, 10800.0, 21600.0, 43200.0]


@pytest.fixture
def letter(campaign):
    (letter,) = approved_letters(campaign, 1, email="maya@example.org")
    StudentEmail.objects.all().delete()  # the private link of its submit: each test makes its own
    return Letter.objects.select_related("campaign", "template").get(pk=letter.pk)


@pytest.fixture
def queued(letter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return student_emails.student_email_queue(
            letter=letter, kind=StudentEmail.Kind.PRIVATE_LINK
        )


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(message, *, primary):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(student_emails, "send_checked", refuse)


def test_the_default_schedule_tries_eight_times_over_about_a_day(settings):
    assert settings.STUDENT_EMAIL_RETRY_SCHEDULE == SCHEDULE
    assert student_emails.max_attempts() == 8
    assert 20 * 3600 < sum(SCHEDULE) < 26 * 3600


def test_each_wait_follows_the_schedule_within_ten_percent_then_there_is_none(settings):
    settings.STUDENT_EMAIL_RETRY_SCHEDULE = SCHEDULE
    for attempts, wait in enumerate(SCHEDULE, start=1):
        for _ in range(20):
            assert 0.9 * wait <= student_emails.retry_delay(attempts) <= 1.1 * wait
    assert student_emails.retry_delay(len(SCHEDULE) + 1) is None
    assert student_emails.retry_delay(0) is None


def test_the_schedule_is_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_seconds

    monkeypatch.setenv("STUDENT_EMAIL_RETRY_SCHEDULE", "1, 2.5,10")
    assert env_seconds("STUDENT_EMAIL_RETRY_SCHEDULE", []) == [1.0, 2.5, 10.0]
    monkeypatch.setenv("STUDENT_EMAIL_RETRY_SCHEDULE", "1,soon")
    with pytest.raises(ImproperlyConfigured, match="STUDENT_EMAIL_RETRY_SCHEDULE"):
        env_seconds("STUDENT_EMAIL_RETRY_SCHEDULE", [])


def test_submitting_writes_the_row_and_the_link_is_sent_in_the_letters_language(
    campaign, django_capture_on_commit_callbacks, mailoutbox
):
    letter = LetterFactory(campaign=campaign, email="maya@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_submit(letter=letter)
    (row,) = StudentEmail.objects.all()
    assert (row.kind, row.state, row.attempts) == ("private_link", "sent", 1)
    (message,) = mailoutbox
    assert message.to == ["maya@example.org"]
    assert letter.token in message.body
    assert message.extra_headers["Message-ID"] == student_emails.message_id_for(row.pk)


def test_a_temporary_failure_waits_by_the_schedule_and_the_last_one_fails(
    queued, smtp_down, settings, mailoutbox
):
    settings.STUDENT_EMAIL_RETRY_SCHEDULE = SCHEDULE
    now = timezone.now()
    for attempt, wait in enumerate(SCHEDULE, start=1):
        result = student_emails.student_email_send(email_id=queued.pk, now=now)
        assert result.outcome == "retry"
        queued.refresh_from_db()
        assert (queued.state, queued.attempts) == ("queued", attempt)
        waited = (queued.next_attempt_at - timezone.now()).total_seconds()
        assert 0.9 * wait - 5 <= waited <= 1.1 * wait
        # Not due yet: a task that comes early does nothing.
        assert student_emails.student_email_send(email_id=queued.pk, now=now).outcome == "skipped"
        now = queued.next_attempt_at
    result = student_emails.student_email_send(email_id=queued.pk, now=now)
    assert result.outcome == "failed"
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("failed", 8)
    assert "Connection problem" in queued.last_error
    assert mailoutbox == []


def test_a_refused_address_fails_at_once_and_the_reason_leaves_the_address_out(queued, monkeypatch):
    def refuse(message, *, primary):
        raise smtplib.SMTPRecipientsRefused({"maya@example.org": (550, b"No such mailbox")})

    monkeypatch.setattr(student_emails, "send_checked", refuse)
    assert student_emails.student_email_send(email_id=queued.pk).outcome == "failed"
    queued.refresh_from_db()
    assert queued.attempts == 1
    assert "550 No such mailbox" in queued.last_error
    assert "maya@example.org" not in queued.last_error


def test_a_claimed_email_is_not_sent_by_a_second_task(queued, mailoutbox):
    # The first task has claimed the row (queued -> sending) and is still at work.
    assert (
        StudentEmail.objects.filter(pk=queued.pk, state="queued").update(
            state=StudentEmail.State.SENDING, claimed_at=timezone.now(), attempts=1
        )
        == 1
    )
    assert student_emails.student_email_send(email_id=queued.pk).outcome == "skipped"
    assert mailoutbox == []


def test_duplicate_tasks_send_one_message(queued, mailoutbox):
    outcomes = [student_emails.student_email_send(email_id=queued.pk).outcome for _ in range(5)]
    assert outcomes == ["sent", "skipped", "skipped", "skipped", "skipped"]
    assert len(mailoutbox) == 1


def test_asking_twice_while_the_link_is_on_its_way_queues_it_once(
    letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = student_emails.student_email_queue(letter=letter, kind="private_link")
        second = student_emails.student_email_queue(letter=letter, kind="private_link")
    assert first is not None and second is None


def test_reconcile_queues_what_the_broker_lost_and_leaves_fresh_rows_alone(
    queued, settings, mailoutbox
):
    settings.DELIVERY_QUEUED_GRACE_SECONDS = 300
    assert student_emails.student_emails_reconcile() == []  # queued a moment ago: its task is due
    # Six minutes on, its task never came (the broker was down, or restarted empty).
    StudentEmail.objects.filter(pk=queued.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert student_emails.student_emails_reconcile() == [queued.pk]  # eager: sent at once
    queued.refresh_from_db()
    assert queued.state == "sent"
    assert len(mailoutbox) == 1


def test_reconcile_takes_back_a_row_whose_worker_died_and_fails_it_after_every_try(
    queued, settings
):
    settings.STUDENT_EMAIL_RETRY_SCHEDULE = [1.0]
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    StudentEmail.objects.filter(pk=queued.pk).update(state="sending", claimed_at=long_ago)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    app.conf.task_always_eager = False
    sent = []
    app.tasks["letters.tasks.send_student_email"].delay = lambda email_id: sent.append(email_id)
    try:
        StudentEmail.objects.filter(pk=queued.pk).update(attempts=1)
        assert student_emails.student_emails_reconcile() == [queued.pk]
        queued.refresh_from_db()
        assert queued.state == "queued"
        StudentEmail.objects.filter(pk=queued.pk).update(
            state="sending", claimed_at=long_ago, attempts=2
        )
        assert student_emails.student_emails_reconcile() == []
        queued.refresh_from_db()
        assert queued.state == "failed"
        assert "worker stopped" in queued.last_error
    finally:
        del app.tasks["letters.tasks.send_student_email"].delay
        app.conf.task_always_eager = True
    assert sent == [queued.pk]


def test_a_deleted_letter_takes_its_emails_with_it(queued, letter):
    services.letter_delete(letter=letter)
    assert not StudentEmail.objects.exists()


def test_the_students_copy_goes_through_the_outbox_when_the_letter_is_sent(
    letter, coordinator, django_capture_on_commit_callbacks, mailoutbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    batch = batches.batch_start(
        campaign=letter.campaign, method=Batch.Method.PRINT, user=coordinator
    )
    batches.batch_build_pack(batch_id=batch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        batches.batch_record_steps(
            batch=batch, printed=True, mailed=True, reply_received=False, reply_note=""
        )
    (row,) = StudentEmail.objects.filter(kind=StudentEmail.Kind.COPY)
    assert row.state == "sent"
    (copy,) = mailoutbox
    assert copy.to == ["maya@example.org"] and copy.attachments


def test_coordinators_see_failed_student_emails_and_send_them_again(
    queued,
    smtp_down,
    client,
    coordinator,
    settings,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.STUDENT_EMAIL_RETRY_SCHEDULE = []
    assert student_emails.student_email_send(email_id=queued.pk).outcome == "failed"
    client.force_login(coordinator)
    page = client.get(reverse("coordinate:campaign", args=[queued.letter.campaign.slug]))
    html = page.content.decode()
    assert "Emails to students that could not be sent" in html
    assert "Private link" in html and "Connection problem" in html
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coordinate:student_emails_retry", args=[queued.letter.campaign.slug])
        )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.state == "sent"
    assert len(mailoutbox) == 1


def test_the_students_copy_says_how_each_official_got_the_letter_and_claims_nothing_else(
    letter, mailoutbox
):
    from letters import notifications
    from tests.factories import BatchFactory, DeliveryFactory, OfficialFactory

    emailed = OfficialFactory(office="Office That Reads Email", delivery_email="a@agency.example")
    posted = OfficialFactory(office="Office That Reads Paper", delivery_email="")
    notifications.student_copy_message(letter=letter).send()
    nothing_yet = mailoutbox[-1]
    assert "was sent." in nothing_yet.body
    assert "by email to" not in nothing_yet.body and "posted to" not in nothing_yet.body

    batch = BatchFactory(campaign=letter.campaign)
    DeliveryFactory(batch=batch, letter=letter, official=emailed)
    DeliveryFactory(batch=batch, letter=letter, official=posted, channel="print", to_email="")
    notifications.student_copy_message(letter=letter).send()
    body = mailoutbox[-1].body
    by_email = body.index("was sent by email to:")
    by_post = body.index("was printed and posted to:")
    assert by_email < body.index("Office That Reads Email") < by_post
    assert by_post < body.index("Office That Reads Paper")
    assert "was sent." not in body
    html = mailoutbox[-1].alternatives[0][0]
    assert html.count("<ul>") == 2
