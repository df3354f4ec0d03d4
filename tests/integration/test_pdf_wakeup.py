"""A student's download that waits for the worker's PDF sleeps in Redis until the file is stored,
instead of looking at storage and the cache twenty times a second (which, with many students
waiting at once, took the CPU the worker needed to render their PDFs). Real Redis (the tests'
own), the real render and store of letters.documents, run in another thread as by the worker."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from letters import documents, pdf, rendering
from letters.models import Letter
from tests.integration.services import wait_for
from tests.letters.helpers import compose_data, pdf_text, squash

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sleeps(monkeypatch):
    """What each of the downloads' sleeps in Redis ended with (True: woken by the file's
    announcement, False: a whole WAKE_SECONDS without one, None: no Redis to sleep in), how many
    began, and an event set at the first: the download is waiting."""
    ended, began = [], []
    waiting = threading.Event()
    announced = documents._announced

    def recording(name, seconds):
        began.append(name)
        waiting.set()
        result = announced(name, seconds)
        ended.append(result)
        return result

    monkeypatch.setattr(documents, "_announced", recording)
    recording.ended, recording.began, recording.waiting = ended, began, waiting
    return recording


@pytest.fixture
def looks(monkeypatch):
    """How many times the downloads looked at storage for their file (the worker's own looks,
    in the thread `later` starts, are not counted)."""
    counted = []
    read = documents._read_download

    def counting(name):
        if threading.current_thread().name != "worker":
            counted.append(name)
        return read(name)

    monkeypatch.setattr(documents, "_read_download", counting)
    return counted


def write(client, campaign, student, recommendations, officials) -> Letter:
    client.post(
        reverse("letters:compose", args=[campaign.slug]),
        compose_data(student, recommendations[:2], officials),
    )
    letter = Letter.objects.latest("pk")
    assert cache.get(f"letter-pdf-queued:{letter.pk}")  # the save asked the worker for it
    return letter


def download_while(client, letter, sleeps, seconds: float, work=None) -> bytes:
    """The letter's download, while another thread (as the worker) does `work` `seconds` after
    the download began to wait: by default the worker's own render, store and announcement."""

    def run():
        try:
            assert sleeps.waiting.wait(timeout=60)
            time.sleep(seconds)
            if work is None:
                documents.letter_download_prepare(letter_id=letter.pk)
            else:
                work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="worker")
    thread.start()
    try:
        return download(client, letter)
    finally:
        thread.join()


def download(client, letter) -> bytes:
    response = client.get(reverse("letters:pdf", args=[letter.token]))
    assert response.status_code == 200
    return response.content


def test_a_waiting_download_sleeps_until_the_workers_file_is_stored(
    client, redis_cache, looks, sleeps, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    # As the worker does it, 1 s into the wait: render, store, announce, clear the mark.
    before = pdf.render_count()
    content = download_while(client, letter, sleeps, 1.0)
    assert "Maya Okafor" in squash(pdf_text(content))
    assert pdf.render_count() == before + 1  # the worker's render only, none by the download
    # Asleep in Redis until the announcement woke it: every sleep but the last lasted a whole
    # WAKE_SECONDS, and it looked at storage once before each sleep and once after the last
    # (at 50 ms a look it would have looked twenty times a second).
    assert sleeps.ended[-1] is True
    assert set(sleeps.ended[:-1]) <= {False}
    assert len(looks) == len(sleeps.ended) + 1


def test_every_download_waiting_for_the_same_file_is_woken(
    client, redis_cache, looks, sleeps, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    answers = []

    def another_download():
        try:
            answers.append(documents.letter_download_pdf(Letter.objects.get(pk=letter.pk)))
        finally:
            connection.close()

    others = [threading.Thread(target=another_download) for _ in range(2)]
    for thread in others:
        thread.start()

    def when_all_three_wait():
        # Not a fixed time: a download whose sleep ended (a whole WAKE_SECONDS) just as the file
        # was stored would find it on its next look, not be woken.
        def all_three_wait():
            """the three downloads to wait"""
            return len(sleeps.began) >= 3

        wait_for(all_three_wait, timeout=30, every=0.01)
        documents.letter_download_prepare(letter_id=letter.pk)

    before = pdf.render_count()
    try:
        content = download_while(client, letter, sleeps, 0, work=when_all_three_wait)
    finally:
        for thread in others:
            thread.join()
    assert answers == [content, content]
    assert pdf.render_count() == before + 1
    # Three downloads, each woken once by the same announcement (put back for the others).
    assert sleeps.ended.count(True) == 3
    assert set(sleeps.ended) <= {True, False}
    assert len(looks) == len(sleeps.ended) + 3


def test_a_download_that_starts_after_the_file_is_stored_takes_it_at_once(
    client, redis_cache, looks, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    documents.letter_download_prepare(letter_id=letter.pk)
    looks.clear()
    before = pdf.render_count()
    content = download(client, letter)
    assert pdf.render_count() == before
    assert "Maya Okafor" in squash(pdf_text(content))
    assert len(looks) == 1


def test_a_wake_up_with_no_file_does_not_spin_and_the_download_renders_when_the_mark_goes(
    client, redis_cache, looks, sleeps, campaign, student, recommendations, officials
):
    """The file was announced and is not there (its render failed, or it was deleted), and the
    worker's mark stays a while: the download looks now and then, not in a tight loop, and
    renders the PDF itself when the mark goes."""
    letter = write(client, campaign, student, recommendations, officials)
    rendered = rendering.render_letter(letter)
    name = documents._download_name(letter, rendered, rendering.letter_documents(rendered))
    documents._announce(name)
    mark = f"letter-pdf-queued:{letter.pk}"
    before = pdf.render_count()
    # The worker gives up on it.
    content = download_while(client, letter, sleeps, 1.0, lambda: cache.delete(mark))
    assert pdf.render_count() == before + 1
    assert "Maya Okafor" in squash(pdf_text(content))
    assert sleeps.ended == [True]  # woken at once, then no more sleeps in Redis ...
    assert 5 <= len(looks) <= 60, len(looks)  # ... but a look every 50 ms for about 1 s


def test_without_redis_to_sleep_in_a_waiting_download_still_gets_its_file(
    client, redis_cache, looks, sleeps, campaign, student, recommendations, officials, monkeypatch
):
    """No Redis to wake it: the download looks every 50 ms, as with another cache, and serves
    the worker's file when it comes."""
    letter = write(client, campaign, student, recommendations, officials)
    monkeypatch.setattr(documents, "_redis", lambda: None)
    before = pdf.render_count()
    content = download_while(client, letter, sleeps, 0.5)
    assert pdf.render_count() == before + 1
    assert "Maya Okafor" in squash(pdf_text(content))
    assert sleeps.ended == [None]
    assert len(looks) >= 5


def test_a_blocking_pop_that_outlasts_the_socket_timeout_is_a_sleep_not_a_cache_outage(
    redis_cache, settings
):
    """A Redis that stalls past the client's socket timeout during a download's sleep (a slow
    fork or fsync; here a socket timeout shorter than the sleep): the sleep ends without a
    wake-up, and the process goes on using the cache."""
    from campaign import content_cache

    default = settings.CACHES["default"]
    settings.CACHES = {
        "default": {**default, "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 0.2}}
    }
    assert documents._announced("letter-downloads/1/none.pdf", 1.0) is False
    assert content_cache.available()
    assert content_cache.call(cache.get, "anything", default="unreachable") is None
