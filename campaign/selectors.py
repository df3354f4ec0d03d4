"""Reads that campaign pages share."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

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
        campaign.letter_count = (
            campaign.online_letters + campaign.paper_letters + campaign.archived_letters
        )
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


def campaign_statistics(letters: QuerySet[Letter]) -> dict:
    """Counts for a coordinator's dashboard: by status, official, team, school, and per day."""
    from django.db.models.functions import TruncDate

    counted = letters.exclude(status=Letter.Status.DRAFT)
    by_status = dict(letters.values_list("status").annotate(n=Count("pk")).order_by())
    statuses = [
        (str(label), by_status.get(value, 0))
        for value, label in Letter.Status.choices
        if value != Letter.Status.DRAFT
    ]
    by_official = (
        counted.values("recipients__name", "recipients__office")
        .annotate(n=Count("pk"))
        .order_by("-n", "recipients__office")
    )
    by_team = counted.values("team__name").annotate(n=Count("pk")).order_by("-n", "team__name")
    by_school = counted.values("school").annotate(n=Count("pk")).order_by("-n", "school")[:50]
    per_day = list(
        counted.exclude(submitted_at__isnull=True)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {
        "statuses": statuses,
        "online_total": counted.count(),
        "by_official": [
            (f"{row['recipients__name']}, {row['recipients__office']}", row["n"])
            for row in by_official
            if row["recipients__name"]
        ],
        "by_team": [(row["team__name"] or gettext("No team"), row["n"]) for row in by_team],
        "by_school": [(row["school"], row["n"]) for row in by_school],
        "per_day": [(row["day"], row["n"]) for row in per_day],
    }


def per_day_chart(per_day: list, *, days: int = 60, width: int = 600, height: int = 160) -> dict:
    """The bars of the letters-per-day chart, as numbers for an SVG drawn in the template."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    counts = {day: n for day, n in per_day if day and day >= start}
    series = [(start + datetime.timedelta(days=i), 0) for i in range(days)]
    series = [(day, counts.get(day, 0)) for day, _ in series]
    peak = max((n for _, n in series), default=0) or 1
    bar = width / days
    bars = [
        {
            "x": round(i * bar, 2),
            "width": round(bar * 0.8, 2),
            "height": round((n / peak) * (height - 20), 2),
            "y": round(height - (n / peak) * (height - 20), 2),
            "day": day,
            "count": n,
        }
        for i, (day, n) in enumerate(series)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "peak": peak,
        "start": start,
        "end": today,
    }
