"""Every letter reaches whoever holds the office on the day it is written, or the office itself.

Run against the seed: the documents name holders who all left office on 2025-01-20, and the seed
names no later holder, so a letter written today goes to each office by its title.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, Official, Recommendation
from letters import rendering
from letters.models import Letter
from tests.factories import CampaignFactory, LetterTemplateFactory, OfficialFactory, TermFactory
from tests.letters.helpers import compose_data, pdf_text, squash

pytestmark = pytest.mark.django_db

FORMER_HOLDERS = [
    "Biden",
    "Sullivan",
    "Austin",
    "Blinken",
    "Thomas-Greenfield",
]


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)


def write_through_the_form(client, campaign, student) -> Letter:
    choices = list(
        Recommendation.objects.filter(
            recommendation_list__in=campaign.recommendation_lists.all(),
            status=Recommendation.Status.CURRENT,
        )[:2]
    )
    data = compose_data(student, choices, list(campaign.targets.all()))
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.filter(campaign=campaign).latest("pk")
    client.post(reverse("letters:submit", args=[letter.token]))
    letter.refresh_from_db()
    return letter


def test_open_seed_campaigns_address_no_former_holder_today(client, seeded, student):
    # (The campaign to students' members of Congress writes to seats found by ZIP code, whose
    # holders come from imported data: tests/letters/test_congress_compose.py.)
    campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN, congress_members="")
    assert campaigns.count() >= 4
    for campaign in campaigns:
        letter = write_through_the_form(client, campaign, student)
        text = squash(pdf_text(client.get(reverse("letters:pdf", args=[letter.token])).content))
        assert [name for name in FORMER_HOLDERS if name in text] == [], campaign.slug
        assert "The President of the United States" in text or "Secretary" in text
        # The same letter dated in June 2022 goes to the holder of the day, by name.
        snapshot = rendering.build_snapshot(letter, on=datetime.date(2022, 6, 21))
        then = rendering.letter_text(rendering.render_snapshot(snapshot))
        if campaign.targets.filter(slug="us-president").exists():
            assert "Joseph R. Biden" in then and "Dear Mr. President," in then


def test_a_submitted_letter_keeps_what_it_was_addressed_to(client, seeded, student):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    letter = write_through_the_form(client, campaign, student)
    president = Official.objects.get(slug="us-president")
    TermFactory(official=president, name="A Later President", salutation="Dear Madam President")
    assert "A Later President" not in rendering.letter_text(rendering.render_letter(letter))
    assert "The President of the United States" in letter.rendered_text


@pytest.fixture
def office_campaign(db):
    office = OfficialFactory(
        office="Secretary of Testing",
        addressed_title="The Secretary of Testing",
        salutation="Dear Secretary of Testing",
        name=None,
    )
    campaign = CampaignFactory(status=Campaign.Status.OPEN)
    LetterTemplateFactory(campaign=campaign)
    campaign.targets.set([office])
    return campaign, office


def addressed(campaign, office, day):
    from tests.factories import LetterFactory

    letter = LetterFactory(campaign=campaign)
    letter.recipients.set([office])
    return rendering.letter_text(
        rendering.render_snapshot(rendering.build_snapshot(letter, on=day))
    )


def test_a_verified_holder_is_named_and_a_stale_one_is_not(office_campaign, settings):
    campaign, office = office_campaign
    settings.HOLDER_CHECK_MAX_AGE_DAYS = 180
    today = timezone.localdate()
    term = TermFactory(
        official=office,
        name="Rosa Checked",
        salutation="Dear Secretary Checked",
        verified_on=today - datetime.timedelta(days=10),
    )
    text = addressed(campaign, office, today)
    assert "Rosa Checked" in text and "Dear Secretary Checked," in text
    term.verified_on = today - datetime.timedelta(days=181)
    term.save()
    text = addressed(campaign, office, today)
    assert "Rosa Checked" not in text
    assert "The Secretary of Testing" in text and "Dear Secretary of Testing," in text


def test_a_term_that_ends_today_still_counts_and_one_that_ended_yesterday_does_not(
    office_campaign,
):
    campaign, office = office_campaign
    today = timezone.localdate()
    term = TermFactory(official=office, name="Lee Leaving", ends_on=today, verified_on=today)
    assert "Lee Leaving" in addressed(campaign, office, today)
    term.ends_on = today - datetime.timedelta(days=1)
    term.save()
    text = addressed(campaign, office, today)
    assert "Lee Leaving" not in text and "The Secretary of Testing" in text


def test_an_expired_ask_is_quoted_on_the_page_but_not_offered(client, seeded, student):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    expired = Recommendation.objects.filter(
        recommendation_list__in=campaign.recommendation_lists.all(),
        status=Recommendation.Status.PAST_DEADLINE,
    ).first()
    assert expired is not None
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert expired.text.replace("’", "&#x27;")[:40] in page or expired.text[:40] in page
    assert "Not offered in letters:" in page
    form = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert f'id="recommendation-{expired.pk}"' not in form
    assert f'id="recommendation-{current_pk(campaign)}"' in form
    current = Recommendation.objects.filter(
        recommendation_list__in=campaign.recommendation_lists.all(),
        status=Recommendation.Status.CURRENT,
    ).first()
    data = compose_data(student, [current, expired], list(campaign.targets.all()))
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 200
    assert "cannot be asked in a letter today" in response.content.decode()
    assert not Letter.objects.exists()


def current_pk(campaign) -> int:
    return (
        Recommendation.objects.filter(
            recommendation_list__in=campaign.recommendation_lists.all(),
            status=Recommendation.Status.CURRENT,
        )
        .first()
        .pk
    )


def test_a_past_campaign_reads_but_takes_no_letters(client, seeded):
    past = Campaign.objects.get(slug="reconsider-mine-transfers")
    page = client.get(past.get_absolute_url())
    assert page.status_code == 200 and past.title in page.content.decode()
    assert "A past campaign" in page.content.decode()
    write = client.get(reverse("letters:compose", args=[past.slug]))
    assert write.status_code == 200
    assert "no longer takes new letters" in write.content.decode()
    home = client.get(reverse("letters:home")).content.decode()
    open_part, _, past_part = home.partition("Past campaigns")
    assert past.title not in open_part
    assert past.title in past_part


def test_opening_needs_an_address_for_every_target(office_campaign):
    from coordinate import services

    campaign, office = office_campaign
    Official.objects.filter(pk=office.pk).update(postal_address="")
    problems = services.campaign_problems_before_opening(campaign)
    assert any("has no postal address" in problem for problem in problems)
