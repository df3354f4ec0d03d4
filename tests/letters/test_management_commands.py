"""The operations commands: send_batch and reconcile_deliveries."""

import io

import pytest
from django.core.management import CommandError, call_command

from letters.models import Batch, Delivery
from tests.factories import TeamFactory, approved_letters

pytestmark = pytest.mark.django_db(transaction=True)


def test_send_batch_prints_progress_to_the_end(campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 3)
    out = io.StringIO()
    call_command("send_batch", "--campaign", campaign.slug, "--method", "print", stdout=out)
    text = out.getvalue()
    assert "Batch #" in text and "3 letters, 6 deliveries" in text
    assert "100%" in text and "Done." in text
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.PACKED}


def test_send_batch_for_one_team(campaign, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = TeamFactory(campaign=campaign, coordinator=coordinator, join_code="ROOM1234")
    approved_letters(campaign, 2, team=team)
    approved_letters(campaign, 1)
    call_command(
        "send_batch",
        "--campaign",
        campaign.slug,
        "--method",
        "print",
        "--team",
        "room1234",
        stdout=io.StringIO(),
    )
    assert Batch.objects.get().letter_count == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--campaign", "nope", "--method", "print"], "No campaign"),
        (["--campaign", "ban-landmines", "--method", "print", "--team", "XXXX"], "No team"),
        (["--campaign", "ban-landmines", "--method", "print"], "no approved letters"),
        (["--campaign", "ban-landmines", "--method", "email"], "sender address"),
    ],
)
def test_send_batch_explains_what_is_wrong(campaign, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_batch", *arguments, stdout=io.StringIO())


def test_reconcile_command_requeues_stuck_deliveries(campaign, officials):
    from django.utils import timezone

    (letter,) = approved_letters(campaign, 1)
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.EMAIL)
    stuck = Delivery.objects.create(
        batch=batch,
        letter=letter,
        official=officials[0],
        channel=Delivery.Channel.EMAIL,
        to_email="x@example.gov",
        state=Delivery.State.SENDING,
        claimed_at=timezone.now() - timezone.timedelta(hours=1),
    )
    out = io.StringIO()
    # Eager tasks in tests: the re-queued delivery is sent at once (to the test mailbox).
    call_command("reconcile_deliveries", stdout=out)
    assert "Put 1 deliveries and 0 student emails back on the queue." in out.getvalue()
    stuck.refresh_from_db()
    assert stuck.state == Delivery.State.SENT
