"""Coordinator access: another coordinator's objects are 404, anonymous users log in."""

import pytest
from django.test import Client
from django.urls import reverse

from letters.models import Batch, Letter
from tests.factories import CampaignFactory, LetterFactory, TeamFactory

pytestmark = pytest.mark.django_db


# --- Access --------------------------------------------------------------------------------------


def coordinator_urls(campaign, letter, batch, team):
    return [
        reverse("coordinate:campaign", args=[campaign.slug]),
        reverse("coordinate:teams", args=[campaign.slug]),
        reverse("coordinate:letters_csv", args=[campaign.slug]),
        reverse("coordinate:queue", args=[campaign.slug]),
        reverse("coordinate:letter", args=[campaign.slug, letter.pk]),
        reverse("coordinate:batches", args=[campaign.slug]),
        reverse("coordinate:batch", args=[batch.pk]),
        reverse("coordinate:batch_progress", args=[batch.pk]),
        reverse("coordinate:batch_pack", args=[batch.pk]),
    ]


def coordinator_posts(campaign, letter, batch, team):
    return [
        (reverse("coordinate:paper_letters", args=[campaign.slug]), {"paper_letters": "5"}),
        (
            reverse("coordinate:team_regenerate", args=[campaign.slug, team.pk]),
            {"confirmed": "yes"},
        ),
        (
            reverse("coordinate:review", args=[campaign.slug]),
            {"action": "approve", "letters": [letter.pk]},
        ),
        (reverse("coordinate:batch_retry", args=[batch.pk]), {}),
        (reverse("coordinate:batch_steps", args=[batch.pk]), {"printed": "on"}),
    ]


@pytest.fixture
def objects(campaign, submitted, coordinator):
    team = TeamFactory(campaign=campaign, coordinator=coordinator)
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.PRINT)
    return campaign, submitted[0], batch, team


def test_another_coordinator_gets_404_everywhere(client, other_coordinator, objects):
    CampaignFactory().coordinators.add(other_coordinator)  # coordinates something else
    client.force_login(other_coordinator)
    for url in coordinator_urls(*objects):
        assert client.get(url).status_code == 404, url
    for url, data in coordinator_posts(*objects):
        assert client.post(url, data).status_code == 404, url
    letter = objects[1]
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SUBMITTED


def test_anonymous_is_sent_to_the_login_page(client, objects):
    for url in coordinator_urls(*objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_posts_without_a_csrf_token_are_refused(coordinator, objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    for url, data in coordinator_posts(*objects):
        assert client.post(url, data).status_code == 403, url


def test_the_dashboard_lists_only_my_campaigns(logged_in, campaign, other_coordinator):
    theirs = CampaignFactory(title="Someone else's campaign")
    theirs.coordinators.add(other_coordinator)
    page = logged_in.get(reverse("coordinate:dashboard")).content.decode()
    assert campaign.title in page
    assert "Someone else" not in page


def test_a_team_coordinator_sees_only_their_teams_letters(
    client, campaign, other_coordinator, submitted
):
    team = TeamFactory(campaign=campaign, coordinator=other_coordinator, name="Room 9")
    mine = LetterFactory(campaign=campaign, team=team, first_name="Teamkid", status="submitted")
    client.force_login(other_coordinator)
    page = client.get(reverse("coordinate:queue", args=[campaign.slug])).content.decode()
    assert "Teamkid" in page
    assert "Kid0" not in page
    assert (
        client.get(reverse("coordinate:letter", args=[campaign.slug, submitted[0].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("coordinate:letter", args=[campaign.slug, mine.pk])).status_code == 200
    )
