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
    assert "The old one no longer works" in logged_in.post(url, follow=True).content.decode()
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
