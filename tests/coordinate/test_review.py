"""The review queue: filter, paginate, approve or return letters."""

import pytest
from django.urls import reverse

from letters.models import Letter
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


def test_queue_shows_submitted_letters_and_filters(logged_in, campaign, submitted):
    url = reverse("coordinate:queue", args=[campaign.slug])
    page = logged_in.get(url).content.decode()
    assert all(f"Kid{i} Okafor" in page for i in range(3))
    page = logged_in.get(url, {"status": "submitted", "school": "hill"}).content.decode()
    assert "Kid0 Okafor" not in page and "Kid1 Okafor" in page
    assert "2 letters" in page


def test_queue_is_paginated(logged_in, campaign):
    for index in range(30):
        LetterFactory(campaign=campaign, status="submitted", first_name=f"Pupil{index:02d}")
    url = reverse("coordinate:queue", args=[campaign.slug])
    first = logged_in.get(url, {"status": "submitted"}).content.decode()
    second = logged_in.get(url, {"status": "submitted", "page": 2}).content.decode()
    assert "page 1 of 2" in first and "page 2 of 2" in second
    assert first.count("Pupil") == 25 * 2  # name link and aria-label per row


def test_approve_many_at_once(logged_in, campaign, submitted):
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {"action": "approve", "letters": [letter.pk for letter in submitted]},
        follow=True,
    )
    assert "3 letters approved." in response.content.decode()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}


def test_return_needs_a_comment_and_the_student_sees_it(logged_in, client, campaign, submitted):
    url = reverse("coordinate:review", args=[campaign.slug])
    response = logged_in.post(url, {"action": "return", "letters": [submitted[0].pk]}, follow=True)
    assert "Write a comment" in response.content.decode()
    assert Letter.objects.get(pk=submitted[0].pk).status == Letter.Status.SUBMITTED
    logged_in.post(
        url,
        {
            "action": "return",
            "letters": [submitted[0].pk],
            "comment": "Please add why it matters to you.",
        },
    )
    letter = Letter.objects.get(pk=submitted[0].pk)
    assert letter.status == Letter.Status.RETURNED
    logged_in.logout()
    page = client.get(reverse("letters:detail", args=[letter.token])).content.decode()
    assert "Please add why it matters to you." in page
    assert "Submit my letter" in page


def test_campaign_without_review_approves_on_submit(campaign):
    from letters import services

    campaign.review_required = False
    campaign.save()
    letter = services.letter_submit(letter=LetterFactory(campaign=campaign))
    assert letter.status == Letter.Status.APPROVED


@pytest.mark.parametrize("target", ["foo", "letters", "//evil.example/x", "https://evil.example/"])
def test_a_next_that_is_not_a_path_here_goes_back_to_the_queue(
    logged_in, campaign, submitted, target
):
    """An external scan posted `next=foo`: redirect() took it for a view name (a 500)."""
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {"action": "approve", "letters": [submitted[0].pk], "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coordinate:queue", args=[campaign.slug])


def test_a_next_on_this_site_is_followed(logged_in, campaign, submitted):
    page = reverse("coordinate:letter", args=[campaign.slug, submitted[0].pk])
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {"action": "approve", "letters": [submitted[0].pk], "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page


def test_a_return_without_a_comment_keeps_the_ticks_and_the_filters(logged_in, campaign, submitted):
    """Bad input changes nothing and loses nothing: the queue comes back as it was left, with the
    reason beside the comment box."""
    queue = reverse("coordinate:queue", args=[campaign.slug]) + "?status=submitted&school=hill"
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {"action": "return", "letters": [submitted[1].pk], "comment": "  ", "next": queue},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write a comment so the student knows what to change." in page
    assert f'value="{submitted[1].pk}" id="letter-{submitted[1].pk}"' in page
    ticked = page.split(f'id="letter-{submitted[1].pk}"')[1].split(">")[0]
    assert "checked" in ticked
    assert "Kid0 Okafor" not in page  # the school filter still applies
    assert f'name="next" value="{queue.replace("&", "&amp;")}"' in page
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SUBMITTED}


def test_nothing_ticked_says_so_on_the_queue(logged_in, campaign, submitted):
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {
            "action": "approve",
            "comment": "keep this",
            "next": reverse("coordinate:queue", args=[campaign.slug]),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick at least one letter." in page and "keep this" in page


def test_a_return_without_a_comment_on_the_letters_page_stays_there(logged_in, campaign, submitted):
    here = reverse("coordinate:letter", args=[campaign.slug, submitted[0].pk])
    response = logged_in.post(
        reverse("coordinate:review", args=[campaign.slug]),
        {"action": "return", "letters": [submitted[0].pk], "next": here},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write a comment so the student knows what to change." in page
    assert submitted[0].full_name in page
    assert Letter.objects.get(pk=submitted[0].pk).status == Letter.Status.SUBMITTED
