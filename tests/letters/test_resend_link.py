"""“Send me my link again”: the same answer for every address, the link only by email, limits."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from letters.models import StudentEmail
from tests.factories import CampaignFactory, LetterFactory, LetterTemplateFactory

pytestmark = pytest.mark.django_db


def ask(client, campaign, email, *, capture, **headers):
    url = reverse("letters:resend_link", args=[campaign.slug])
    with capture(execute=True):
        response = client.post(url, {"email": email}, follow=True, **headers)
    return response


def answer(response) -> str:
    """The page's text without the CSRF token (which differs on every page)."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def letters(campaign):
    another = CampaignFactory(slug="another")
    LetterTemplateFactory(campaign=another)
    return [
        LetterFactory(campaign=campaign, email="Maya@Example.org", status="submitted"),
        LetterFactory(campaign=campaign, email="maya@example.org", status="draft"),
        LetterFactory(campaign=another, email="maya@example.org"),
    ]


def test_the_page_asks_for_the_address(client, campaign):
    page = client.get(reverse("letters:resend_link", args=[campaign.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Send me my link again" in html and 'name="email"' in html
    campaign_page = client.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    assert reverse("letters:resend_link", args=[campaign.slug]) in campaign_page


def test_a_known_and_an_unknown_address_get_the_same_answer(
    client, campaign, letters, django_capture_on_commit_callbacks
):
    known = ask(client, campaign, "maya@example.org", capture=django_capture_on_commit_callbacks)
    mailed = list(mail.outbox)
    unknown = ask(
        client, campaign, "nobody@example.org", capture=django_capture_on_commit_callbacks
    )
    assert known.status_code == unknown.status_code == 200
    assert answer(known) == answer(unknown)
    assert "its private link is on its way there now" in answer(known)
    # The links went by email only, one per letter of this campaign with that address (any case).
    assert sorted(m.to[0].lower() for m in mailed) == ["maya@example.org"] * 2
    sent_links = " ".join(m.body for m in mailed)
    assert letters[0].token in sent_links and letters[1].token in sent_links
    assert letters[2].token not in sent_links  # another campaign's letter
    assert len(mail.outbox) == 2  # nothing for the unknown address
    for letter in letters:
        assert letter.token not in answer(known)


def test_each_link_goes_through_the_students_outbox(
    client, campaign, letters, django_capture_on_commit_callbacks
):
    ask(client, campaign, "maya@example.org", capture=django_capture_on_commit_callbacks)
    rows = StudentEmail.objects.filter(kind=StudentEmail.Kind.PRIVATE_LINK)
    assert {row.letter_id for row in rows} == {letters[0].pk, letters[1].pk}
    assert {row.state for row in rows} == {"sent"}


def test_requests_from_one_client_are_limited(
    client, campaign, letters, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email": 2}
    capture = django_capture_on_commit_callbacks
    for number in range(2):
        response = ask(client, campaign, f"someone{number}@example.org", capture=capture)
        assert response.status_code == 200
    blocked = ask(client, campaign, "maya@example.org", capture=capture)
    assert blocked.status_code == 429
    assert "Please wait a little" in blocked.content.decode()
    assert mail.outbox == []


def test_requests_for_one_address_are_limited_whoever_asks_and_the_answer_stays_the_same(
    client, campaign, letters, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link_address": 1}
    capture = django_capture_on_commit_callbacks
    first = ask(client, campaign, "maya@example.org", capture=capture, REMOTE_ADDR="192.0.2.1")
    assert len(mail.outbox) == 2
    StudentEmail.objects.update(state="sent")
    again = ask(client, campaign, "MAYA@example.org", capture=capture, REMOTE_ADDR="192.0.2.2")
    assert answer(again) == answer(first)
    assert len(mail.outbox) == 2  # nothing more to that mailbox this hour


def test_a_wrong_address_is_shown_again_with_a_message(client, campaign):
    url = reverse("letters:resend_link", args=[campaign.slug])
    response = client.post(url, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_the_page_is_spanish_for_a_spanish_reader(client, campaign):
    client.cookies["django_language"] = "es"
    page = client.get(reverse("letters:resend_link", args=[campaign.slug])).content.decode()
    assert "Envíame mi enlace otra vez" in page
