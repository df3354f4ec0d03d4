"""Batches: start one, the print pack, print steps, mailed letters."""

import io

import pytest
from django.urls import reverse

from letters.models import Batch, Delivery, Letter
from tests.factories import approved_letters
from tests.letters.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db


def test_email_batch_needs_a_sender_address(logged_in, campaign, submitted):
    approved_letters(campaign, 2)
    response = logged_in.post(
        reverse("coordinate:batches", args=[campaign.slug]), {"method": "email"}
    )
    assert "sender address" in response.content.decode()
    assert not Batch.objects.exists()


def test_print_batch_makes_a_pack_with_one_cover_per_official(
    logged_in, campaign, officials, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    letters = approved_letters(campaign, 4)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            reverse("coordinate:batches", args=[campaign.slug]), {"method": "print"}
        )
    batch = Batch.objects.get()
    assert response["Location"] == reverse("coordinate:batch", args=[batch.pk])
    assert batch.deliveries.count() == 8
    assert set(batch.deliveries.values_list("state", flat=True)) == {Delivery.State.PACKED}
    # Packed is not sent: the letters are sent when the coordinator marks the batch mailed.
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}

    page = logged_in.get(reverse("coordinate:batch", args=[batch.pk])).content.decode()
    assert "Download the print pack" in page
    progress = logged_in.get(reverse("coordinate:batch_progress", args=[batch.pk])).json()
    assert progress["percent"] == 100 and progress["packed"] == 8 and progress["pack_ready"]

    pack = b"".join(
        logged_in.get(reverse("coordinate:batch_pack", args=[batch.pk])).streaming_content
    )
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
        reverse("coordinate:batch_steps", args=[batch.pk]),
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
        logged_in.post(reverse("coordinate:batches", args=[campaign.slug]), {"method": "print"})
    batch = Batch.objects.get()
    logged_in.post(reverse("coordinate:batch_steps", args=[batch.pk]), {"printed": "on"})
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}
    logged_in.post(
        reverse("coordinate:batch_steps", args=[batch.pk]), {"printed": "on", "mailed": "on"}
    )
    assert set(batch.deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SENT}


def test_a_failed_pack_is_shown_and_can_be_made_again(
    logged_in, campaign, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from letters import batches

    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 1)
    batch = batches.batch_start(campaign=campaign, method="print", user=None)

    def disk_full(batch):  # a fault injected into rendering; the recovery is under test
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(batches, "build_print_pack", disk_full)
        assert batches.batch_build_pack(batch_id=batch.pk) is False
    page = logged_in.get(reverse("coordinate:batch", args=[batch.pk])).content.decode()
    assert "The pack could not be made: RuntimeError: disk full" in page
    assert logged_in.get(reverse("coordinate:batch_progress", args=[batch.pk])).json()["pack_error"]
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("coordinate:batch_rebuild", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.pack and not batch.pack_error


def test_no_approved_letters_means_no_batch(logged_in, campaign, submitted):
    page = logged_in.get(reverse("coordinate:batches", args=[campaign.slug])).content.decode()
    assert "No approved letters are waiting" in page


def test_letters_in_a_batch_are_not_taken_again(campaign, coordinator, settings, tmp_path):
    from letters import batches

    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 2)
    batches.batch_start(campaign=campaign, method="print", user=coordinator)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no approved letters waiting"):
        batches.batch_start(campaign=campaign, method="print", user=coordinator)


def test_officials_without_an_email_go_to_print_in_an_email_batch(
    campaign, officials, coordinator, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core import mail

    from letters import batches

    settings.MEDIA_ROOT = tmp_path
    campaign.sender_email = "campaign@example.org"
    campaign.save()
    officials[0].delivery_email = "president@example.gov"
    officials[0].save()  # the Secretary of State has no address
    approved_letters(campaign, 2, email="student@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.batch_start(campaign=campaign, method=Batch.Method.EMAIL, user=coordinator)
    channels = sorted(batch.deliveries.values_list("official__slug", "channel"))
    assert channels == [("president", "email")] * 2 + [("secretary-of-state", "print")] * 2
    assert len(mail.outbox) == 2
    # One message per office, to that office alone: the student's copy waits until every
    # addressee has the letter (the Secretary's is still to be posted).
    assert all(m.to == ["president@example.gov"] and not m.bcc and not m.cc for m in mail.outbox)
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
        logged_in.post(reverse("coordinate:batches", args=[campaign.slug]), {"method": "print"})
    batch = Batch.objects.get()
    assert mail.outbox == []  # printed is not posted
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("coordinate:batch_steps", args=[batch.pk]), {"mailed": "on"})
    (copy,) = mail.outbox
    assert copy.to == ["kid@example.org"] and "is in the post" in copy.subject
    assert "- President of the United States" in copy.body
    (_filename, content, mimetype) = copy.attachments[0]
    assert mimetype == "application/pdf" and "Student0000 Example" in pdf_text(content)


def test_an_email_batch_refuses_a_sender_outside_the_configured_domains(
    logged_in, campaign, settings
):
    """Saved before the rule (or before the domains changed): refused when the batch starts."""
    settings.SENDER_EMAIL_DOMAINS = ["school.example"]
    campaign.sender_email = "minister@ministry.example"
    campaign.save()
    approved_letters(campaign, 1)
    response = logged_in.post(
        reverse("coordinate:batches", args=[campaign.slug]), {"method": "email"}
    )
    assert "only from an address at school.example" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_print_batch_puts_a_copy_for_each_cc_office_in_the_pack(
    campaign, officials, coordinator, django_capture_on_commit_callbacks, settings, tmp_path
):
    from letters import batches
    from tests.factories import OfficialFactory

    settings.MEDIA_ROOT = tmp_path
    adviser = OfficialFactory(office="National Security Advisor", name="Sam Adviser")
    campaign.targets.set(officials[:1])
    campaign.cc.set([adviser])
    (letter,) = approved_letters(campaign, 1)
    letter.recipients.set(officials[:1])
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.batch_start(campaign=campaign, method="print", user=coordinator)
    batch.refresh_from_db()
    assert batch.pack and not batch.pack_error
    roles = sorted(batch.deliveries.values_list("official__office", "role", "state"))
    assert roles == [
        ("National Security Advisor", Delivery.Role.CC, Delivery.State.PACKED),
        ("President of the United States", Delivery.Role.TO, Delivery.State.PACKED),
    ]
    with batch.pack.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    # The President's cover and letter, and in the adviser's part (after their own cover) the
    # copy: the letter as written to the President, with the President's greeting.
    assert text.count("Dear Mr. President,") == 3
    adviser_part = text[text.index("Sam Adviser") :]
    assert "Dear Mr. President," in adviser_part
