"""Nothing a student is owed is lost to a blink of SMTP, the broker or the cache (issue #18):
a real Redis stopped and started, a real SMTP server stopped and started, a real Celery worker."""

import shutil
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from letters import services, student_emails
from letters.models import Letter, StudentEmail
from tests.conftest import require
from tests.factories import LetterFactory
from tests.integration.services import LocalRedis, Worker, wait_for
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db(transaction=True)

#: The production schedule (60, 300, 900 s ...) at one sixtieth: a minute of the real schedule
#: passes in a second, so "SMTP down for two minutes" takes two seconds of the test's time.
SCHEDULE_AT_60X = "1,5,15,60,180,360,720"
SPEED_UP = 60


@pytest.fixture
def own_redis():
    """A Redis of this test's own, to stop and start (the session's serves the other tests)."""
    binary = shutil.which("redis-server")
    require(
        binary is not None,
        "redis-server",
        "install it (Debian: apt-get install redis-server); the tests start their own",
    )
    server = LocalRedis(binary)
    yield server
    server.stop()


def test_smtp_down_for_two_minutes_then_back_the_private_link_arrives_once(
    campaign, worker_env, smtp
):
    worker = Worker({**worker_env, "STUDENT_EMAIL_RETRY_SCHEDULE": SCHEDULE_AT_60X}, name="smtp")
    try:
        smtp.stop()
        letter = LetterFactory(campaign=campaign, email="maya@example.org")
        down_at = time.monotonic()
        services.letter_submit(letter=letter)  # commits: the row, then its task
        row = StudentEmail.objects.get(letter=letter)

        def failed_twice() -> bool:
            """two tries refused by the stopped server"""
            row.refresh_from_db()
            return row.attempts >= 2 and row.state == StudentEmail.State.QUEUED

        wait_for(failed_twice, timeout=30)
        assert "Connection problem" in row.last_error
        # Two minutes (at 60x) after it went down, the server is back.
        time.sleep(max(0.0, down_at + 120 / SPEED_UP - time.monotonic()))
        smtp.start()

        def sent() -> bool:
            """the private link sent"""
            row.refresh_from_db()
            return row.state == StudentEmail.State.SENT

        wait_for(sent, timeout=60)
        time.sleep(2)  # a second message, if any, would come now
    finally:
        worker.stop()
    received = smtp.handler.messages_to("maya@example.org")
    assert len(received) == 1
    (message,) = received
    assert message.message_id == student_emails.message_id_for(row.pk)
    body = message.message.get_body(preferencelist=("plain",)).get_content()
    assert letter.token in body
    assert row.attempts == 3  # refused at 0 and after 1 min; sent after 5 more (1 + 5 s here)


@pytest.fixture
def broker_to_stop(own_redis, worker_env):
    """This process queues its tasks in `own_redis` (the worker is started by the test)."""
    from config.celery import app

    app.conf.broker_url = f"redis://127.0.0.1:{own_redis.port}/0"
    app._pool = None
    app.amqp._producer_pool = None
    yield own_redis
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_down_at_submit_the_student_sees_the_letter_and_the_email_comes_with_reconcile(
    campaign, worker_env, smtp, broker_to_stop
):
    broker = broker_to_stop
    letter = LetterFactory(campaign=campaign, email="maya@example.org")
    broker.stop()

    client = Client()
    response = client.post(reverse("letters:submit", args=[letter.token]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your letter is submitted" in html
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SUBMITTED
    row = StudentEmail.objects.get(letter=letter)
    assert (row.state, row.attempts) == (StudentEmail.State.QUEUED, 0)  # its task was never queued

    broker.start()  # back, and empty
    worker = Worker(
        {**worker_env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker.port}/0"}, name="back"
    )
    try:
        # What beat's reconcile task does every minute, once the grace period has passed.
        assert student_emails.student_emails_reconcile(queued_grace=0) == [row.pk]

        def sent() -> bool:
            """the private link sent"""
            row.refresh_from_db()
            return row.state == StudentEmail.State.SENT

        wait_for(sent, timeout=60)
    finally:
        worker.stop()
    (message,) = smtp.handler.messages_to("maya@example.org")
    assert letter.token in message.message.get_body(preferencelist=("plain",)).get_content()


def test_cache_down_compose_and_submit_show_pages_not_errors(
    campaign, student, recommendations, officials, own_redis, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{own_redis.port}/1",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    cache.set("up", 1)  # the cache works ...
    own_redis.stop()  # ... and then it is gone

    client = Client(raise_request_exception=False)
    compose = reverse("letters:compose", args=[campaign.slug])
    assert client.get(compose).status_code == 200
    data = compose_data(student, recommendations[:2], officials, email="maya@example.org")
    written = client.post(compose, data, follow=True)
    assert written.status_code == 200
    assert "Your letter is saved as a draft" in written.content.decode()
    letter = Letter.objects.get()
    submitted = client.post(reverse("letters:submit", args=[letter.token]), follow=True)
    assert submitted.status_code == 200
    assert "Your letter is submitted" in submitted.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SUBMITTED
    # The health endpoint says what is wrong, for the load balancer (503, not a 500).
    assert client.get("/health/").status_code == 503
    # The campaign page (its cached content rendered afresh) and the student's PDF (rendered
    # without the per-letter lock) still come.
    page = client.get(reverse("letters:campaign", args=[campaign.slug]))
    assert page.status_code == 200
    assert campaign.title in page.content.decode()
    pdf = client.get(reverse("letters:pdf", args=[letter.token]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == b"%PDF-"
    # An editor's save goes through: the cache could not be told, and that is logged.
    campaign.summary = "Edited while the cache was down."
    campaign.save()
    assert (
        "Edited while the cache was down."
        in client.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    )
