"""The public pages show the seeded content."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from campaign.models import Campaign, Fact, Source
from letters.models import Letter
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)


def test_home_lists_open_campaigns_with_progress(client, seeded):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    for status in (Letter.Status.SUBMITTED, Letter.Status.APPROVED, Letter.Status.DRAFT):
        LetterFactory(campaign=campaign, status=status)
    campaign.paper_letters = 8
    campaign.save()
    page = client.get(reverse("letters:home")).content.decode()
    for title in Campaign.objects.values_list("title", flat=True):
        assert escape(title) in page
    assert "10 of 1,000 letters" in page  # 2 counted online (not the draft) + 8 on paper
    assert '<main id="main"' in page and 'aria-label="Main"' in page


def test_draft_campaigns_are_not_public(client, seeded):
    campaign = Campaign.objects.get(slug="first-100-days")
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    assert escape(campaign.title) not in client.get(reverse("letters:home")).content.decode()
    assert client.get(reverse("letters:campaign", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("letters:compose", args=[campaign.slug])).status_code == 404


def test_campaign_page_shows_facts_recommendations_and_officials(client, seeded):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    page = client.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    assert escape(campaign.summary) in page
    for fact in campaign.facts.select_related("source"):
        assert escape(fact.statement) in page
        assert escape(fact.quote) in page
        assert escape(fact.source.publisher) in page
    for rec_list in campaign.recommendation_lists.all():
        for item in rec_list.items.all():
            assert escape(item.text) in page
    for official in campaign.targets.all():
        assert escape(official.name) in page
    assert reverse("letters:compose", args=[campaign.slug]) in page


def test_campaign_page_for_unknown_slug_is_404(client, seeded):
    assert client.get(reverse("letters:campaign", args=["no-such-campaign"])).status_code == 404


def test_sources_page_lists_every_document(client, seeded):
    page = client.get(reverse("letters:sources")).content.decode()
    for source in Source.objects.all():
        assert escape(source.title) in page
        assert escape(source.publisher) in page
    assert Fact.objects.count() >= 25


def test_static_files_are_the_projects_own(client, seeded):
    page = client.get(reverse("letters:home")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    # Every stylesheet, script, image and font comes from this site: no
    # address in src or href points at another host. (Matching the attributes
    # rather than the whole page: a random CSRF token may well contain "cdn".)
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses
    assert [a for a in addresses if "//" in a or "cdn" in a.lower()] == []
    assert "https://" not in page.replace("https://www.w3.org", "")
