"""Services of the coordinator side: the daily close of campaigns past their end date."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from campaign.models import Campaign
from config.celery import app
from coordinate import services
from letters import retention
from tests.factories import CampaignFactory, approved_letters

pytestmark = pytest.mark.django_db


def test_open_campaigns_past_their_end_date_are_closed_and_their_retention_starts(campaign):
    today = timezone.localdate()
    campaign.ends_on = today - datetime.timedelta(days=1)
    campaign.save()
    last_day = CampaignFactory(ends_on=today)
    no_end = CampaignFactory(ends_on=None)
    draft = CampaignFactory(status=Campaign.Status.DRAFT, ends_on=today - datetime.timedelta(1))
    assert services.campaign_close_expired() == [campaign.slug]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at is not None
    for untouched in (last_day, no_end, draft):
        untouched.refresh_from_db()
        assert untouched.closed_at is None
    assert last_day.status == no_end.status == Campaign.Status.OPEN
    assert services.campaign_close_expired() == []  # once


def test_a_campaign_nobody_closes_is_purged_once_its_retention_passes(campaign):
    """The Low finding: letters of a campaign nobody closes were kept forever."""
    approved_letters(campaign, 2)
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.retention_days = 30
    campaign.save()
    app.tasks["coordinate.tasks.close_expired_campaigns"].delay()
    campaign.refresh_from_db()
    later = campaign.closed_at + datetime.timedelta(days=31)
    assert retention.personal_data_purge(now=later) == {campaign.slug: 2}
    assert not campaign.letters.exists()


def test_beat_closes_expired_campaigns_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["close-expired-campaigns"]
    assert entry["task"] == "coordinate.tasks.close_expired_campaigns"
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {0} and entry["schedule"].minute == {5}
