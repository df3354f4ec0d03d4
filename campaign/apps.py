from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _renew_after_migrate(**kwargs) -> None:
    """A deploy's migrations (a data migration, a new Django that pickles models differently)
    renew every cached block and figure, as an editor's save does."""
    from campaign import content_cache

    content_cache.bump()


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from campaign import content_cache
        from campaign.models import (
            Campaign,
            Fact,
            Official,
            Recommendation,
            RecommendationList,
            Source,
            Term,
        )

        # What the cached blocks show (campaign/content_cache.py): an editor's save renews them.
        content_cache.connect(
            Campaign, Fact, Official, Recommendation, RecommendationList, Source, Term
        )
        post_migrate.connect(_renew_after_migrate, sender=self, dispatch_uid="content-migrate")
