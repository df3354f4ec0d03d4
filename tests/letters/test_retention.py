"""Students' data: only what a letter needs, kept only as long as needed, never in logs."""

import datetime
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign
from letters.models import Batch, Letter, LetterPdf
from tests.factories import approved_letters
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db

PRIVACY_DOC = Path(django_settings.BASE_DIR) / "docs" / "privacy.md"


def documented_fields() -> set[str]:
    names = set()
    for line in PRIVACY_DOC.read_text().splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return names


def test_every_letter_field_is_on_the_privacy_list():
    fields = {f.name for f in Letter._meta.get_fields() if not f.auto_created or f.concrete}
    fields -= {
        "deliveries",
        "pdfs",
        "recommendation_choices",
    }  # related rows, listed below the table
    missing = sorted(fields - documented_fields())
    assert missing == [], f"add these Letter fields to docs/privacy.md, with why: {missing}"


def test_the_check_can_fail():
    assert "date_of_birth" not in documented_fields()


@pytest.fixture
def closed_campaign(campaign, settings, tmp_path, coordinator):
    from coordinate import services
    from letters import batches, documents

    settings.MEDIA_ROOT = tmp_path
    letters = approved_letters(campaign, 3, email="kid@example.org")
    for letter in letters:
        documents.letter_pdf_for(letter, letter.recipients.first())
    batch = batches.batch_start(campaign=campaign, method="print", user=coordinator)
    batches.batch_build_pack(batch_id=batch.pk)
    services.campaign_close(campaign=campaign)
    return campaign


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_purge_removes_personal_data_after_the_retention_period(closed_campaign, tmp_path):
    assert (
        len(files_under(tmp_path)) == 3 + 3 + 1
    )  # letter PDFs (2 officials, 1 made above) and the pack
    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Letter.objects.count() == 3  # not yet: the retention period has not passed

    later = timezone.now() + datetime.timedelta(days=closed_campaign.retention_days + 1)
    from letters.retention import personal_data_purge

    assert personal_data_purge(now=later) == {closed_campaign.slug: 3}
    assert Letter.objects.count() == 0
    assert LetterPdf.objects.count() == 0
    assert files_under(tmp_path) == []
    assert Batch.objects.get().pack == ""
    campaign = Campaign.objects.get()
    assert campaign.archived_letters == 3
    assert dict(campaign.archived_statistics["statuses"])["Approved"] == 3
    assert "kid@example.org" not in str(campaign.archived_statistics)
    assert "Student0000" not in str(campaign.archived_statistics)
    assert personal_data_purge(now=later) == {}  # once


def test_counts_survive_the_purge_on_public_pages(closed_campaign, client):
    from letters.retention import campaign_purge_personal_data

    campaign_purge_personal_data(campaign=closed_campaign)
    page = client.get(reverse("letters:home")).content.decode()
    assert "Past campaigns" in page and "3 letters" in page


def test_reopening_stops_the_retention_clock(closed_campaign):
    from coordinate import services

    assert closed_campaign.closed_at is not None
    services.campaign_update(campaign=closed_campaign, fields={"status": Campaign.Status.OPEN})
    closed_campaign.refresh_from_db()
    assert closed_campaign.closed_at is None


def test_delete_my_letter_removes_its_pdfs_and_takes_it_out_of_the_pack(
    closed_campaign, client, tmp_path, django_capture_on_commit_callbacks
):
    from tests.letters.helpers import pdf_text

    letter = Letter.objects.order_by("pk").first()
    pdf_paths = [Path(p.file.path) for p in letter.pdfs.all()]
    assert pdf_paths and all(path.exists() for path in pdf_paths)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:delete", args=[letter.token]))
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not any(path.exists() for path in pdf_paths)
    batch = Batch.objects.get()
    assert batch.pack  # made again without the letter
    text = pdf_text(batch.pack.read())
    assert letter.first_name not in text
    assert Letter.objects.exclude(pk=letter.pk).first().first_name in text


def test_a_coordinator_deletes_a_students_data_on_request(client, coordinator, campaign):
    from letters import services
    from tests.factories import LetterFactory

    letter = services.letter_submit(letter=LetterFactory(campaign=campaign))
    client.force_login(coordinator)
    url = reverse("coordinate:delete_letter", args=[campaign.slug, letter.pk])
    # Delete asks first: the first post only shows what will go, and a form to confirm it.
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Delete the student&#x27;s data?" in asked.content.decode()
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    assert Letter.objects.filter(pk=letter.pk).exists()
    assert "are deleted" in client.post(url, {"confirmed": "yes"}, follow=True).content.decode()
    assert not Letter.objects.exists()


def test_a_students_name_in_a_failing_request_is_in_no_log_line(
    client, campaign, student, recommendations, officials, caplog
):
    """A broken template makes the preview fail after the student posted the form."""
    data = compose_data(
        student, recommendations[:1], officials, first_name="Zebediah", last_name="Quuxley"
    )
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    letter = Letter.objects.get()
    campaign.templates.update(body="{% broken %}")  # past validation, as a database edit could
    client.raise_request_exception = False
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("letters:edit", args=[letter.token]), data)
        failed = client.get(reverse("letters:detail", args=[letter.token]))
    assert response.status_code == 302 and failed.status_code == 500
    logged = "\n".join(
        record.getMessage()
        + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    assert "Internal Server Error" in logged  # the error was logged...
    assert "Zebediah" not in logged and "Quuxley" not in logged  # ...without the student's name


def test_error_reports_hide_the_form_fields(rf, campaign, student):
    from django.views.debug import SafeExceptionReporterFilter

    from letters.views import compose

    request = rf.post(
        "/",
        {**student, "first_name": "Zebediah", "personal_paragraph": "secret words", "x": "kept"},
    )
    request.session, request._messages = {}, None
    compose(request, slug=campaign.slug)  # the form is invalid (no choices); the view ran
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["first_name"] != "Zebediah"
    assert cleaned["personal_paragraph"] != "secret words"
    assert cleaned["grade"] != student["grade"]  # every author field is hidden
    assert cleaned["x"] == "kept"  # and only those


def test_production_settings_pass_the_deploy_check():
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://letters.example.org",
        "CACHE_URL": "redis://127.0.0.1:6379/1",  # production needs a shared cache (config.E001)
        "ALLOWED_HOSTS": "letters.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
