"""Coordinators: access, the review queue, the dashboard, batches and the print pack."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from letters.models import Batch, Delivery, Letter
from tests.factories import CampaignFactory, LetterFactory, TeamFactory, approved_letters
from tests.letters.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(campaign):
    from letters import services

    letters = []
    for index, school in enumerate(["Lincoln Middle School", "Hill Academy", "Hill Academy"]):
        letter = LetterFactory(campaign=campaign, first_name=f"Kid{index}", school=school)
        services.letter_submit(letter=letter)
        letters.append(letter)
    return letters


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


# --- Access --------------------------------------------------------------------------------------


def coordinator_urls(campaign, letter, batch, team):
    return [
        reverse("campaign:coordinate", args=[campaign.slug]),
        reverse("campaign:teams", args=[campaign.slug]),
        reverse("campaign:letters_csv", args=[campaign.slug]),
        reverse("letters:queue", args=[campaign.slug]),
        reverse("letters:review_letter", args=[campaign.slug, letter.pk]),
        reverse("letters:batches", args=[campaign.slug]),
        reverse("letters:batch", args=[batch.pk]),
        reverse("letters:batch_progress", args=[batch.pk]),
        reverse("letters:batch_pack", args=[batch.pk]),
    ]


def coordinator_posts(campaign, letter, batch, team):
    return [
        (reverse("campaign:paper_letters", args=[campaign.slug]), {"paper_letters": "5"}),
        (reverse("campaign:team_regenerate", args=[campaign.slug, team.pk]), {}),
        (
            reverse("letters:review", args=[campaign.slug]),
            {"action": "approve", "letters": [letter.pk]},
        ),
        (reverse("letters:batch_retry", args=[batch.pk]), {}),
        (reverse("letters:batch_steps", args=[batch.pk]), {"printed": "on"}),
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
    page = logged_in.get(reverse("campaign:dashboard")).content.decode()
    assert campaign.title in page
    assert "Someone else" not in page


def test_a_team_coordinator_sees_only_their_teams_letters(
    client, campaign, other_coordinator, submitted
):
    team = TeamFactory(campaign=campaign, coordinator=other_coordinator, name="Room 9")
    mine = LetterFactory(campaign=campaign, team=team, first_name="Teamkid", status="submitted")
    client.force_login(other_coordinator)
    page = client.get(reverse("letters:queue", args=[campaign.slug])).content.decode()
    assert "Teamkid" in page
    assert "Kid0" not in page
    assert (
        client.get(
            reverse("letters:review_letter", args=[campaign.slug, submitted[0].pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("letters:review_letter", args=[campaign.slug, mine.pk])).status_code
        == 200
    )


# --- Review ---------------------------------------------------------------------------------------


def test_queue_shows_submitted_letters_and_filters(logged_in, campaign, submitted):
    url = reverse("letters:queue", args=[campaign.slug])
    page = logged_in.get(url).content.decode()
    assert all(f"Kid{i} Okafor" in page for i in range(3))
    page = logged_in.get(url, {"status": "submitted", "school": "hill"}).content.decode()
    assert "Kid0 Okafor" not in page and "Kid1 Okafor" in page
    assert "2 letters" in page


def test_queue_is_paginated(logged_in, campaign):
    for index in range(30):
        LetterFactory(campaign=campaign, status="submitted", first_name=f"Pupil{index:02d}")
    url = reverse("letters:queue", args=[campaign.slug])
    first = logged_in.get(url, {"status": "submitted"}).content.decode()
    second = logged_in.get(url, {"status": "submitted", "page": 2}).content.decode()
    assert "page 1 of 2" in first and "page 2 of 2" in second
    assert first.count("Pupil") == 25 * 2  # name link and aria-label per row


def test_approve_many_at_once(logged_in, campaign, submitted):
    response = logged_in.post(
        reverse("letters:review", args=[campaign.slug]),
        {"action": "approve", "letters": [letter.pk for letter in submitted]},
        follow=True,
    )
    assert "3 letters approved." in response.content.decode()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}


def test_return_needs_a_comment_and_the_student_sees_it(logged_in, client, campaign, submitted):
    url = reverse("letters:review", args=[campaign.slug])
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


# --- Dashboard ------------------------------------------------------------------------------------


def test_dashboard_counts_and_paper_letters(logged_in, campaign, submitted):
    campaign.letter_goal = 10
    campaign.save()
    url = reverse("campaign:coordinate", args=[campaign.slug])
    page = logged_in.get(url).content.decode()
    assert "Review 3 waiting letters" in page
    assert "Hill Academy" in page
    assert "Joseph R. Biden, President of the United States" in page
    logged_in.post(reverse("campaign:paper_letters", args=[campaign.slug]), {"paper_letters": "4"})
    page = logged_in.get(url).content.decode()
    assert "(3 online, 4 on paper)" in page
    assert 'aria-valuenow="70"' in page
    assert "<svg" in page and "Letters per day" in page


def test_paper_letters_refuse_nonsense(logged_in, campaign):
    response = logged_in.post(
        reverse("campaign:paper_letters", args=[campaign.slug]),
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
    response = logged_in.get(reverse("campaign:letters_csv", args=[campaign.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
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


# --- Teams ----------------------------------------------------------------------------------------


def test_create_team_and_regenerate_its_code(logged_in, campaign):
    logged_in.post(
        reverse("campaign:teams", args=[campaign.slug]), {"name": "Room 12"}, follow=True
    )
    team = campaign.teams.get(name="Room 12")
    old = team.join_code
    assert len(old) == 8 and set(old) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    url = reverse("campaign:team_regenerate", args=[campaign.slug, team.pk])
    assert "The old one no longer works" in logged_in.post(url, follow=True).content.decode()
    team.refresh_from_db()
    assert team.join_code != old
    page = logged_in.get(reverse("campaign:teams", args=[campaign.slug])).content.decode()
    assert team.join_code in page and old not in page


def test_duplicate_team_name_is_a_form_error(logged_in, campaign):
    url = reverse("campaign:teams", args=[campaign.slug])
    logged_in.post(url, {"name": "Room 12"})
    response = logged_in.post(url, {"name": "Room 12"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


# --- Batches --------------------------------------------------------------------------------------


def test_email_batch_needs_a_sender_address(logged_in, campaign, submitted):
    approved_letters(campaign, 2)
    response = logged_in.post(reverse("letters:batches", args=[campaign.slug]), {"method": "email"})
    assert "sender address" in response.content.decode()
    assert not Batch.objects.exists()


def test_print_batch_makes_a_pack_with_one_cover_per_official(
    logged_in, campaign, officials, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    letters = approved_letters(campaign, 4)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            reverse("letters:batches", args=[campaign.slug]), {"method": "print"}
        )
    batch = Batch.objects.get()
    assert response["Location"] == reverse("letters:batch", args=[batch.pk])
    assert batch.deliveries.count() == 8
    assert set(batch.deliveries.values_list("state", flat=True)) == {Delivery.State.PACKED}
    # Packed is not sent: the letters are sent when the coordinator marks the batch mailed.
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}

    page = logged_in.get(reverse("letters:batch", args=[batch.pk])).content.decode()
    assert "Download the print pack" in page
    progress = logged_in.get(reverse("letters:batch_progress", args=[batch.pk])).json()
    assert progress["percent"] == 100 and progress["packed"] == 8 and progress["pack_ready"]

    pack = b"".join(logged_in.get(reverse("letters:batch_pack", args=[batch.pk])).streaming_content)
    text = squash(pdf_text(pack))
    assert text.count("Enclosed are 4 letters to you") == 2
    assert "Lincoln Middle School: 2 letters" in text
    assert "Eastwood High School: 1 letter" in text
    for letter in letters:
        assert (
            text.count(f"{letter.first_name} Example") == 2 * 3
        )  # per official: sender, body, signature
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pack)).pages
    assert len(pages) == 2 * (1 + 4) + 1  # per official a cover and 4 one-page letters; labels
    assert "Address labels" in pages[-1].extract_text()
    for official in officials:
        assert official.name in pages[-1].extract_text()


def test_print_steps_are_recorded(logged_in, campaign):
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.PRINT)
    logged_in.post(
        reverse("letters:batch_steps", args=[batch.pk]),
        {"printed": "on", "mailed": "on", "reply_note": "A reply from the State Department."},
    )
    batch.refresh_from_db()
    assert batch.printed_at and batch.mailed_at and not batch.reply_received_at
    assert batch.reply_note == "A reply from the State Department."


def test_marking_a_print_batch_mailed_sends_its_letters(
    logged_in, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 2)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("letters:batches", args=[campaign.slug]), {"method": "print"})
    batch = Batch.objects.get()
    logged_in.post(reverse("letters:batch_steps", args=[batch.pk]), {"printed": "on"})
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}
    logged_in.post(
        reverse("letters:batch_steps", args=[batch.pk]), {"printed": "on", "mailed": "on"}
    )
    assert set(batch.deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SENT}


def test_a_failed_pack_is_shown_and_can_be_made_again(
    logged_in, campaign, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from letters import delivery, documents

    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 1)
    batch = delivery.batch_start(campaign=campaign, method="print", user=None)

    def disk_full(batch):  # a fault injected into rendering; the recovery is under test
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(documents, "build_print_pack", disk_full)
        assert delivery.batch_build_pack(batch_id=batch.pk) is False
    page = logged_in.get(reverse("letters:batch", args=[batch.pk])).content.decode()
    assert "The pack could not be made: RuntimeError: disk full" in page
    assert logged_in.get(reverse("letters:batch_progress", args=[batch.pk])).json()["pack_error"]
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("letters:batch_rebuild", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.pack and not batch.pack_error


def test_no_approved_letters_means_no_batch(logged_in, campaign, submitted):
    page = logged_in.get(reverse("letters:batches", args=[campaign.slug])).content.decode()
    assert "No approved letters are waiting" in page


def test_letters_in_a_batch_are_not_taken_again(campaign, coordinator, settings, tmp_path):
    from letters import delivery

    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 2)
    delivery.batch_start(campaign=campaign, method="print", user=coordinator)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no approved letters waiting"):
        delivery.batch_start(campaign=campaign, method="print", user=coordinator)


def test_officials_without_an_email_go_to_print_in_an_email_batch(
    campaign, officials, coordinator, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core import mail

    from letters import delivery

    settings.MEDIA_ROOT = tmp_path
    campaign.sender_email = "campaign@example.org"
    campaign.save()
    officials[0].delivery_email = "president@example.gov"
    officials[0].save()  # the Secretary of State has no address
    approved_letters(campaign, 2, email="student@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        batch = delivery.batch_start(campaign=campaign, method=Batch.Method.EMAIL, user=coordinator)
    channels = sorted(batch.deliveries.values_list("official__slug", "channel"))
    assert channels == [("president", "email")] * 2 + [("secretary-of-state", "print")] * 2
    assert len(mail.outbox) == 2
    assert all(
        m.to == ["president@example.gov"] and m.bcc == ["student@example.org"] for m in mail.outbox
    )
    batch.refresh_from_db()
    assert batch.pack  # the Secretary's letters are in the print pack
    states = dict(batch.deliveries.values_list("official__slug", "state").distinct())
    assert states == {"president": Delivery.State.SENT, "secretary-of-state": Delivery.State.PACKED}


def test_a_student_gets_a_copy_when_a_print_batch_is_mailed(
    logged_in, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.letters.helpers import pdf_text

    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 1, email="kid@example.org")
    mail.outbox.clear()  # the private link, sent on submitting
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("letters:batches", args=[campaign.slug]), {"method": "print"})
    batch = Batch.objects.get()
    assert mail.outbox == []  # printed is not posted
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("letters:batch_steps", args=[batch.pk]), {"mailed": "on"})
    (copy,) = mail.outbox
    assert copy.to == ["kid@example.org"] and "is in the post" in copy.subject
    assert "Joseph R. Biden, President of the United States" in copy.body
    (_filename, content, mimetype) = copy.attachments[0]
    assert mimetype == "application/pdf" and "Student0000 Example" in pdf_text(content)
