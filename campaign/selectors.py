"""Reads that campaign pages share."""

from django.db.models import Count, Prefetch, Q, QuerySet

from campaign.models import Campaign, Official, Recommendation, RecommendationList
from letters.models import Letter

COUNTED = ~Q(letters__status=Letter.Status.DRAFT)


def campaigns_with_progress(queryset: QuerySet[Campaign] | None = None) -> list[Campaign]:
    """Campaigns with `letter_count` (submitted or further, plus paper letters) and `progress`."""
    queryset = queryset if queryset is not None else Campaign.objects.public()
    campaigns = list(
        queryset.annotate(online_letters=Count("letters", filter=COUNTED)).order_by(
            "status", "-starts_on", "title"
        )
    )
    for campaign in campaigns:
        campaign.letter_count = campaign.online_letters + campaign.paper_letters
        goal = campaign.letter_goal or 1
        campaign.progress = min(100, round(100 * campaign.letter_count / goal))
    return campaigns


def campaign_for_public_page(slug: str) -> Campaign | None:
    queryset = Campaign.objects.public().prefetch_related(
        Prefetch(
            "recommendation_lists",
            queryset=RecommendationList.objects.select_related("source").prefetch_related(
                Prefetch("items", queryset=Recommendation.objects.order_by("position"))
            ),
        ),
        Prefetch("targets", queryset=Official.objects.active()),
        "cc",
        "facts__source",
        "default_recommendations",
    )
    found = campaigns_with_progress(queryset.filter(slug=slug))
    return found[0] if found else None
