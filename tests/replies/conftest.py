"""Sent letters in two teams, for the replies tests."""

import datetime

import pytest
from django.utils import timezone

from letters.models import Batch, Delivery, Letter, StudentEmail
from tests import factories


def send(letters, *, official, channel=Delivery.Channel.EMAIL, sent_at=None, team=None):
    """Mark letters sent to `official` as a batch leaves them: a sent delivery each."""
    sent_at = sent_at or timezone.now()
    batch = factories.BatchFactory(
        campaign=letters[0].campaign,
        team=team,
        method=Batch.Method.EMAIL if channel == Delivery.Channel.EMAIL else Batch.Method.PRINT,
    )
    for letter in letters:
        factories.DeliveryFactory(
            batch=batch,
            letter=letter,
            official=official,
            channel=channel,
            state=Delivery.State.SENT,
            sent_at=sent_at,
        )
    Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
        status=Letter.Status.SENT, sent_at=sent_at
    )
    return batch


@pytest.fixture
def teams(campaign, other_coordinator):
    return (
        factories.TeamFactory(campaign=campaign, name="Room 7"),
        factories.TeamFactory(campaign=campaign, name="Room 9", coordinator=other_coordinator),
    )


@pytest.fixture
def president(officials):
    return officials[0]


@pytest.fixture
def classes(campaign, teams, president):
    """Room 7: two students with an address and one without; Room 9: one with an address.
    Every letter sent to the president by email."""
    room7, room9 = teams
    with_address = factories.approved_letters(campaign, 2, team=room7, email="x@example.org")
    for number, letter in enumerate(with_address):
        letter.first_name, letter.last_name = f"Ana{number}", f"Room7Student{number}"
        letter.email = f"ana{number}@example.org"
        letter.save()
    (without,) = factories.approved_letters(campaign, 1, team=room7)
    Letter.objects.filter(pk=without.pk).update(first_name="Ben", last_name="Nomail")
    (other,) = factories.approved_letters(campaign, 1, team=room9, email="carla@example.org")
    Letter.objects.filter(pk=other.pk).update(first_name="Carla", last_name="Room9Student")
    letters = [*with_address, without, other]
    send(letters, official=president, sent_at=timezone.now() - datetime.timedelta(days=1))
    StudentEmail.objects.all().delete()  # the private links of their submits
    fresh = {letter.pk: letter for letter in Letter.objects.filter(pk__in=[x.pk for x in letters])}
    return {
        "room7": [fresh[with_address[0].pk], fresh[with_address[1].pk], fresh[without.pk]],
        "room9": [fresh[other.pk]],
    }
