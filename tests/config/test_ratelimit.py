"""Abuse: rate limits, the honeypot, team codes, the private-link email, headers."""

import contextlib

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from redis.exceptions import RedisError

from letters.models import Letter
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db


def write(client, campaign, data, **headers):
    return client.post(reverse("letters:compose", args=[campaign.slug]), data, **headers)


def test_letter_writing_is_rate_limited_per_address(
    client, campaign, student, recommendations, officials, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter": 3}
    data = compose_data(student, recommendations[:1], officials)
    for _ in range(3):
        assert write(client, campaign, data, REMOTE_ADDR="198.51.100.7").status_code == 302
    blocked = write(client, campaign, data, REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    assert "Please wait a little" in blocked.content.decode()
    assert Letter.objects.count() == 3
    assert write(client, campaign, data, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_rotating_forwarded_for_does_not_escape_the_limit(
    client, campaign, student, recommendations, officials, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter": 2}
    settings.TRUSTED_PROXY_COUNT = 1
    data = compose_data(student, recommendations[:1], officials)
    codes = [
        write(
            client,
            campaign,
            data,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5",
        ).status_code
        for number in range(4)
    ]
    assert codes == [302, 302, 429, 429]


def test_pdf_downloads_are_rate_limited(
    client, campaign, student, recommendations, officials, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf": 2}
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    url = reverse("letters:pdf", args=[Letter.objects.get().token])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_wrong_team_codes_are_limited_and_then_even_a_right_one_waits(
    client, campaign, student, recommendations, officials, coordinator, settings
):
    from tests.factories import TeamFactory

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "team_code": 3}
    TeamFactory(campaign=campaign, join_code="GOODCODE", coordinator=coordinator)
    for number in range(3):
        data = compose_data(student, recommendations[:1], officials, team_code=f"WRONG{number:03d}")
        assert (
            "No team in this campaign has that code"
            in write(client, campaign, data).content.decode()
        )
    data = compose_data(student, recommendations[:1], officials, team_code="GOODCODE")
    page = write(client, campaign, data).content.decode()
    assert "Too many wrong team codes" in page
    assert Letter.objects.count() == 0
    assert (
        write(client, campaign, compose_data(student, recommendations[:1], officials)).status_code
        == 302
    )


def test_the_honeypot_catches_bots(client, campaign, student, recommendations, officials):
    data = compose_data(student, recommendations[:1], officials, website="http://spam.example")
    response = write(client, campaign, data)
    assert response.status_code == 200
    assert Letter.objects.count() == 0
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert 'class="honeypot" aria-hidden="true"' in page and 'tabindex="-1"' in page


def test_the_private_link_is_emailed_once_per_address(
    client, campaign, student, recommendations, officials, django_capture_on_commit_callbacks
):
    data = compose_data(student, recommendations[:1], officials, email="maya@example.org")
    write(client, campaign, data)
    letter = Letter.objects.get()
    edit = reverse("letters:edit", args=[letter.token])
    submit = reverse("letters:submit", args=[letter.token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit)
        client.post(edit, {**data, "personal_paragraph": "Changed."})
        client.post(submit)
    assert [m.to for m in mail.outbox] == [["maya@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**data, "email": "victim@example.org"})
        client.post(submit)
    assert [m.to for m in mail.outbox] == [["maya@example.org"], ["victim@example.org"]]


def test_security_headers(client, campaign):
    response = client.get(reverse("letters:home"))
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_has_an_inline_script(client, campaign, administrator):
    import re

    pages = [
        reverse("letters:home"),
        reverse("letters:campaign", args=[campaign.slug]),
        reverse("letters:compose", args=[campaign.slug]),
        reverse("letters:sources"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers


def test_submitting_is_rate_limited_per_address(
    client, campaign, student, recommendations, officials, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": 2}
    data = compose_data(student, recommendations[:1], officials)
    write(client, campaign, data)
    letter = Letter.objects.get()
    submit = reverse("letters:submit", args=[letter.token])
    assert client.post(submit, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert client.post(submit, REMOTE_ADDR="198.51.100.7").status_code == 302
    blocked = client.post(submit, REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    assert "Please wait a little" in blocked.content.decode()
    assert client.post(submit, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_private_link_emails_are_limited_per_address_and_the_letter_is_still_submitted(
    client,
    campaign,
    student,
    recommendations,
    officials,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email": 2}
    for number in range(3):
        data = compose_data(
            student, recommendations[:1], officials, email=f"student{number}@example.org"
        )
        write(client, campaign, data, REMOTE_ADDR="198.51.100.7")
        letter = Letter.objects.order_by("-pk").first()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("letters:submit", args=[letter.token]), REMOTE_ADDR="198.51.100.7"
            )
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["student0@example.org"], ["student1@example.org"]]
    assert Letter.objects.filter(status=Letter.Status.SUBMITTED).count() == 3


# --- The cache unreachable: the documented choice (config/ratelimit.py) --------------------------


@pytest.fixture
def unreachable_cache(settings):
    """The cache pointed at a port where nothing listens (a Redis that is down)."""
    from tests.integration.services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/1",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from config import ratelimit

    ratelimit._local_counts.clear()
    yield
    ratelimit._local_counts.clear()


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Rate-limit counts start and end empty (in a cache that some tests make unreachable)."""
    with contextlib.suppress(RedisError, OSError):
        cache.clear()
    yield
    with contextlib.suppress(RedisError, OSError):
        cache.clear()


def test_with_the_cache_unreachable_writing_and_submitting_still_work(
    client, campaign, student, recommendations, officials, unreachable_cache, caplog
):
    data = compose_data(student, recommendations[:1], officials, email="maya@example.org")
    response = write(client, campaign, data)
    assert response.status_code == 302
    letter = Letter.objects.get()
    submitted = client.post(reverse("letters:submit", args=[letter.token]), follow=True)
    assert submitted.status_code == 200
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SUBMITTED
    assert "rate limits are counted in this process's memory" in caplog.text


def test_with_the_cache_unreachable_the_limits_still_hold_in_the_process(
    client, campaign, student, recommendations, officials, settings, unreachable_cache
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter": 2}
    data = compose_data(student, recommendations[:1], officials)
    codes = [write(client, campaign, data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
