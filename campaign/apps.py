from django.apps import AppConfig


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
