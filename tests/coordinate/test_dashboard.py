"""The dashboard: counts, paper letters, the CSV export and teams."""

import csv
import io

import pytest
from django.urls import reverse

from letters.models import Letter

pytestmark = pytest.mark.django_db


def test_dashboard_counts_and_paper_letters(logged_in, campaign, submitted):
    campaign.letter_goal = 10
    campaign.save()
    url = reverse("coordinate:campaign", args=[campaign.slug])
    page = logged_in.get(url).content.decode()
    assert "Review 3 waiting letters" in page
    assert "Hill Academy" in page
    assert "President of the United States" in page
    logged_in.post(
        reverse("coordinate:paper_letters", args=[campaign.slug]), {"paper_letters": "4"}
    )
    page = logged_in.get(url).content.decode()
    assert "(3 online, 4 on paper)" in page
    assert 'value="70" max="100"' in page
    assert "<svg" in page and "Letters per day" in page


def test_paper_letters_refuse_nonsense(logged_in, campaign):
    response = logged_in.post(
        reverse("coordinate:paper_letters", args=[campaign.slug]),
        {"paper_letters": "-3"},
        follow=True,
    )
    assert "whole number" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.paper_letters == 0


def test_csv_export_has_the_listed_columns_only(logged_in, campaign, submitted):
    Letter.objects.filter(pk=submitted[0].pk).update(
        first_name="=HYPERLINK(1)", email="kid@example.org"
    )
    response = logged_in.get(reverse("coordinate:letters_csv", args=[campaign.slug]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8's byte-order mark: Excel keeps accents
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "first name",
        "last name",
        "school",
        "city",
        "state",
        "team",
        "status",
        "recipients",
        "created",
        "submitted",
        "approved",
        "sent",
    ]
    assert len(rows) == 4
    assert rows[1][0] == "'=HYPERLINK(1)"  # a formula never runs in a spreadsheet
    assert all("kid@example.org" not in cell for row in rows for cell in row)
    assert "personal" not in ",".join(rows[0])


def test_create_team_and_regenerate_its_code(logged_in, campaign):
    logged_in.post(
        reverse("coordinate:teams", args=[campaign.slug]), {"name": "Room 12"}, follow=True
    )
    team = campaign.teams.get(name="Room 12")
    old = team.join_code
    assert len(old) == 8 and set(old) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    url = reverse("coordinate:team_regenerate", args=[campaign.slug, team.pk])
    asked = logged_in.post(url).content.decode()
    assert "Give “Room 12” a new join code?" in asked and old in asked
    team.refresh_from_db()
    assert team.join_code == old
    answered = logged_in.post(url, {"confirmed": "yes"}, follow=True).content.decode()
    assert "The old one no longer works" in answered
    team.refresh_from_db()
    assert team.join_code != old
    page = logged_in.get(reverse("coordinate:teams", args=[campaign.slug])).content.decode()
    assert team.join_code in page and old not in page


def test_duplicate_team_name_is_a_form_error(logged_in, campaign):
    url = reverse("coordinate:teams", args=[campaign.slug])
    logged_in.post(url, {"name": "Room 12"})
    response = logged_in.post(url, {"name": "Room 12"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_coordinator_can_create_only_so_many_teams_in_a_campaign(logged_in, campaign, settings):
    settings.TEAMS_PER_COORDINATOR_MAX = 2
    url = reverse("coordinate:teams", args=[campaign.slug])
    for name in ("Room 1", "Room 2"):
        assert logged_in.post(url, {"name": name}).status_code == 302
    response = logged_in.post(url, {"name": "Room 3"})
    assert response.status_code == 200
    assert "You already have 2 teams in this campaign" in response.content.decode()
    assert campaign.teams.count() == 2


def test_destructive_buttons_ask_before_they_act(logged_in, campaign, coordinator):
    """Regenerating a code, removing a coordinator, deleting a letter: each answers first with
    a page that explains and offers a confirming form, and changes nothing."""
    from campaign.services import team_create
    from letters import services
    from tests.factories import LetterFactory, UserFactory

    team = team_create(campaign=campaign, name="Room 12", coordinator=coordinator)
    colleague = UserFactory(username="colleague")
    campaign.coordinators.add(colleague)
    letter = services.letter_submit(letter=LetterFactory(campaign=campaign))
    for url in (
        reverse("coordinate:team_regenerate", args=[campaign.slug, team.pk]),
        reverse("coordinate:coordinator_remove", args=[campaign.slug, colleague.pk]),
        reverse("coordinate:delete_letter", args=[campaign.slug, letter.pk]),
    ):
        page = logged_in.post(url).content.decode()
        assert 'name="confirmed" value="yes"' in page and "This cannot be undone." in page
        assert f'action="{url}"' in page
    code = team.join_code
    team.refresh_from_db()
    assert team.join_code == code
    assert campaign.coordinators.count() == 2
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_the_dashboard_says_what_waits_in_each_campaign_in_the_coordinators_scope(
    client, logged_in, campaign, submitted, other_coordinator
):
    from campaign.models import Team
    from letters import services

    dashboard = reverse("coordinate:dashboard")
    page = logged_in.get(dashboard).content.decode()
    assert "Review 3 letters" in page and "Send" not in page.split("Review 3 letters")[1][:200]
    services.letters_approve(letters=[submitted[0]])
    page = logged_in.get(dashboard).content.decode()
    assert "Review 2 letters" in page and "Send 1 approved letter" in page

    # A team's coordinator counts their team's letters only.
    team = Team.objects.create(campaign=campaign, name="Room 7", coordinator=other_coordinator)
    Letter.objects.filter(pk=submitted[1].pk).update(team=team)
    client.force_login(other_coordinator)
    page = client.get(dashboard).content.decode()
    assert "Review 1 letter<" in page and "approved letter" not in page
    Letter.objects.filter(pk=submitted[1].pk).update(status=Letter.Status.RETURNED)
    assert "Nothing waiting" in client.get(dashboard).content.decode()
