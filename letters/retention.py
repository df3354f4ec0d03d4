"""Retention: students' personal data lives as long as a campaign needs it, and no longer.

After a campaign closes and its retention period passes, its letters are deleted with everything
that was written from them (the PDFs, the print packs, the delivery rows). What stays is anonymous:
the number of letters and the counts by status, official, team, school and day.
"""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign, CampaignInvitation
from letters import batches
from letters.documents import delete_letter_files
from letters.models import Batch, Letter
from letters.statistics import campaign_statistics

logger = logging.getLogger(__name__)

#: What other apps delete with a campaign's personal data (`replies`: its non-public replies),
#: registered when their app starts: `letters` never imports them. step(campaign=...).
PURGE_STEPS: list[Callable] = []


def register_purge_step(step: Callable) -> None:
    if step not in PURGE_STEPS:
        PURGE_STEPS.append(step)


def campaigns_due_for_purge(*, now: datetime.datetime | None = None) -> list[Campaign]:
    now = now or timezone.now()
    closed = Campaign.objects.filter(
        status=Campaign.Status.CLOSED, closed_at__isnull=False, purged_at__isnull=True
    )
    return [c for c in closed if c.closed_at + datetime.timedelta(days=c.retention_days) <= now]


def _anonymous_counts(letters) -> dict:
    stats = campaign_statistics(letters)
    stats["per_day"] = [(day.isoformat(), count) for day, count in stats["per_day"]]
    return stats


@transaction.atomic
def campaign_purge_personal_data(
    *, campaign: Campaign, now: datetime.datetime | None = None
) -> int:
    """Delete the campaign's letters and files, keeping anonymous counts. Returns letters deleted."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    letters = Letter.objects.filter(campaign=campaign)
    counted = letters.exclude(status=Letter.Status.DRAFT).count()
    campaign.archived_statistics = _anonymous_counts(letters)
    campaign.archived_letters += counted
    delete_letter_files(letters)
    for batch in Batch.objects.filter(campaign=campaign).exclude(pack=""):
        batches.batch_discard_pack(batch=batch)
    for step in PURGE_STEPS:
        step(campaign=campaign)
    deleted = letters.count()
    letters.delete()
    CampaignInvitation.objects.filter(campaign=campaign).delete()
    campaign.purged_at = now
    campaign.save(update_fields=["archived_statistics", "archived_letters", "purged_at"])
    logger.info("purged campaign %s: %d letters deleted", campaign.pk, deleted)
    return deleted


def personal_data_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Purge every campaign whose retention period has passed; {campaign slug: letters}."""
    return {
        campaign.slug: campaign_purge_personal_data(campaign=campaign, now=now)
        for campaign in campaigns_due_for_purge(now=now)
    }
