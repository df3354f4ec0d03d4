"""An uploaded reply is checked by its content: an HTML file named .pdf is refused, a file over
REPLY_FILE_MAX_BYTES is refused, and an image is stored re-encoded without its metadata (through
the same storage as the letters' PDFs)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from replies.models import Reply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_reply(client, campaign, team, upload):
    return client.post(
        reverse("coordinate:replies", args=[campaign.slug]),
        {
            "official": campaign.targets.get(slug="president").pk,
            "received_on": "2026-03-02",
            "channel": "letter",
            "scope": "team",
            "team": team.pk,
            "text": "",
            "file": upload,
        },
    )


def photo_with_metadata() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x9286] = "GPS-like secret comment"  # UserComment
    exif[0x0112] = 1  # orientation
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes(), comment=b"a hidden comment")
    data = output.getvalue()
    assert b"SecretCameraMaker" in data and b"a hidden comment" in data
    return data


def test_an_html_file_named_pdf_is_refused(client, coordinator, campaign, teams, classes):
    client.force_login(coordinator)
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    response = post_reply(client, campaign, teams[0], SimpleUploadedFile("reply.pdf", html))
    assert response.status_code == 200
    assert "this file is none of them" in response.content.decode()
    assert not Reply.objects.exists()


def test_an_oversized_file_is_refused(client, coordinator, campaign, teams, classes, settings):
    settings.REPLY_FILE_MAX_BYTES = 2048
    client.force_login(coordinator)
    big = b"%PDF-1.7\n" + b"0" * 4096
    response = post_reply(client, campaign, teams[0], SimpleUploadedFile("reply.pdf", big))
    assert "The file is too large" in response.content.decode()
    assert not Reply.objects.exists()


def test_an_image_is_stored_re_encoded_without_its_metadata(
    client, coordinator, campaign, teams, classes
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("scan.jpg", photo_with_metadata(), content_type="image/jpeg")
    response = post_reply(client, campaign, teams[0], upload)
    assert response.status_code == 302, response.content.decode()[-2000:]
    reply = Reply.objects.get()
    assert reply.file_type == "jpg" and reply.file.name.startswith(f"replies/{campaign.pk}/")
    with default_storage.open(reply.file.name, "rb") as handle:
        stored = handle.read()
    assert b"SecretCameraMaker" not in stored and b"a hidden comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif() and "comment" not in image.info
    # The student whose letter it answers gets the picture as a picture.
    student = classes["room7"][0]
    response = client.get(reverse("replies:letter_file", args=[student.token, reply.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored


def test_a_pdf_loses_its_scripts_and_metadata(client, coordinator, campaign, teams, classes):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Secret Author"})
    writer.add_open_action(JavaScript("app.alert(1)"))
    output = io.BytesIO()
    writer.write(output)
    assert b"/JavaScript" in output.getvalue()
    client.force_login(coordinator)
    response = post_reply(
        client, campaign, teams[0], SimpleUploadedFile("reply.pdf", output.getvalue())
    )
    assert response.status_code == 302
    with default_storage.open(Reply.objects.get().file.name, "rb") as handle:
        stored = handle.read()
    assert b"/JavaScript" not in stored and b"/OpenAction" not in stored
    assert b"Secret Author" not in stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


def test_deleting_a_reply_deletes_its_file(
    client, coordinator, campaign, teams, classes, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    post_reply(client, campaign, teams[0], SimpleUploadedFile("s.jpg", photo_with_metadata()))
    reply = Reply.objects.get()
    name = reply.file.name
    assert default_storage.exists(name)
    url = reverse("coordinate:reply_delete", args=[campaign.slug, reply.pk])
    assert "Delete this reply" in client.post(url).content.decode()  # it asks first
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "The reply is deleted." in response.content.decode()
    assert not Reply.objects.exists()
    assert not default_storage.exists(name)
