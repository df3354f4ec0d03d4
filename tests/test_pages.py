"""Every page a student or a coordinator sees: a meta description, headings in order (no jump
from h1 to h3), and the form posting to an explicit address."""

import itertools
import re

import pytest
from django.urls import reverse

from letters import services
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"<h([1-6])\b")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


def student_urls(campaign) -> list[str]:
    draft = LetterFactory(campaign=campaign)
    submitted = services.letter_submit(letter=LetterFactory(campaign=campaign))
    return [
        reverse("letters:home"),
        reverse("letters:campaign", args=[campaign.slug]),
        reverse("letters:sources"),
        reverse("letters:privacy"),
        reverse("letters:compose", args=[campaign.slug]),
        reverse("letters:detail", args=[draft.token]),
        reverse("letters:detail", args=[submitted.token]),
        reverse("letters:edit", args=[draft.token]),
        reverse("letters:delete", args=[draft.token]),
        reverse("login"),
    ]


def coordinator_urls(campaign) -> list[str]:
    letter = services.letter_submit(letter=LetterFactory(campaign=campaign))
    return [
        reverse("coordinate:dashboard"),
        reverse("coordinate:new"),
        reverse("coordinate:campaign", args=[campaign.slug]),
        reverse("coordinate:queue", args=[campaign.slug]),
        reverse("coordinate:letter", args=[campaign.slug, letter.pk]),
        reverse("coordinate:batches", args=[campaign.slug]),
        reverse("coordinate:teams", args=[campaign.slug]),
        reverse("coordinate:edit", args=[campaign.slug]),
        reverse("coordinate:coordinators", args=[campaign.slug]),
    ]


def assert_headings_in_order(url: str, page: str) -> None:
    levels = [int(level) for level in HEADING.findall(page)]
    assert levels and levels[0] == 1, f"{url}: the first heading is h{levels[:1]}"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{url}: h{before} is followed by h{after} ({levels})"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_has_a_description_and_headings_in_order(
    client, campaign, coordinator, language
):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    urls = student_urls(campaign)
    for url in urls:
        page = client.get(url).content.decode()
        assert DESCRIPTION.search(page), f"{url} has no meta description"
        assert_headings_in_order(url, page)
    client.force_login(coordinator)
    for url in coordinator_urls(campaign):
        page = client.get(url).content.decode()
        assert DESCRIPTION.search(page), f"{url} has no meta description"
        assert_headings_in_order(url, page)


def test_a_campaigns_description_is_its_summary(client, campaign):
    page = client.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    assert DESCRIPTION.search(page).group(1).startswith(campaign.summary[:30])


def test_the_compose_form_has_no_empty_action(client, campaign):
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert 'action=""' not in page


def test_the_review_queue_legend_is_the_first_child_of_its_fieldset(client, coordinator, campaign):
    services.letter_submit(letter=LetterFactory(campaign=campaign))
    client.force_login(coordinator)
    page = client.get(reverse("coordinate:queue", args=[campaign.slug])).content.decode()
    for fieldset in re.findall(r"<fieldset\b[^>]*>\s*(<\w+)", page):
        assert fieldset == "<legend"


def test_open_campaigns_come_before_closed_ones(client, campaign):
    from coordinate import services as coordinate_services
    from letters.selectors import campaigns_with_progress
    from tests.factories import CampaignFactory

    closed = CampaignFactory(slug="older", title="Aardvark campaign")
    coordinate_services.campaign_close(campaign=closed)
    assert next(c.slug for c in campaigns_with_progress()) == campaign.slug
    page = client.get(reverse("letters:home")).content.decode()
    assert page.index(campaign.title) < page.index("Aardvark campaign")
