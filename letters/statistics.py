"""Counts of letters: for the coordinator's dashboard, and kept anonymously after a purge."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from letters.models import Letter


def campaign_statistics(letters: QuerySet[Letter]) -> dict:
    """Counts for a coordinator's dashboard: by status, official, team, school, and per day."""
    counted = letters.counted()
    by_status = dict(letters.values_list("status").annotate(n=Count("pk")).order_by())
    statuses = [
        (str(label), by_status.get(value, 0))
        for value, label in Letter.Status.choices
        if value != Letter.Status.DRAFT
    ]
    by_official = (
        counted.values("recipients__office")
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
            (row["recipients__office"], row["n"])
            for row in by_official
            if row["recipients__office"]
        ],
        "by_team": [(row["team__name"] or gettext("No team"), row["n"]) for row in by_team],
        "by_school": [(row["school"], row["n"]) for row in by_school],
        "per_day": [(row["day"], row["n"]) for row in per_day],
    }
