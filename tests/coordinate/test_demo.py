"""The first run: `make run`'s demo data can send an email batch, and the email arrives in the
local mail folder (development's file backend)."""

import pytest
from django.core import mail
from django.core.management import call_command

from campaign.models import Campaign, Official
from letters import batches
from letters.models import Delivery
from tests.factories import approved_letters

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_can_send_an_email_batch(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_seed", verbosity=0)
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    campaign = Campaign.objects.order_by("pk").first()
    office = Official.objects.get(slug="demo-office")
    assert campaign.sender_email.endswith("@" + settings.SENDER_EMAIL_DOMAINS[0])
    assert office.delivery_email and campaign.targets.filter(pk=office.pk).exists()
    # Running it again changes nothing (make run calls it every time).
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Official.objects.filter(slug="demo-office").count() == 1

    approved_letters(campaign, 1)
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.batch_start(campaign=campaign, method="email", user=None)
    emailed = batch.deliveries.get(official=office)
    assert emailed.channel == Delivery.Channel.EMAIL and emailed.state == Delivery.State.SENT
    assert [message.to for message in mail.outbox if office.delivery_email in message.to]


def test_development_email_goes_to_the_local_mail_folder():
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        ],
        cwd=settings_dir(),
        env={k: v for k, v in os.environ.items() if k != "EMAIL_HOST"} | {"VAR_DIR": "/tmp/x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        "/tmp/x/mail",
    ], result.stderr


def settings_dir():
    from django.conf import settings

    return settings.BASE_DIR
