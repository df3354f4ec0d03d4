"""Counts of letters: for the coordinator's dashboard, and kept anonymously after a purge."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from campaign import congress
from campaign.models import Official
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
        counted.filter(recipients__chamber=Official.Chamber.NONE)
        .values("recipients__office")
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
        **_congress_counts(counted),
    }


def _congress_counts(counted: QuerySet[Letter]) -> dict:
    """Letters to members of Congress: per member (the seat's holder today), per state, per
    House district. Empty lists for a campaign that does not write to them."""
    in_congress = counted.exclude(recipients__chamber=Official.Chamber.NONE)
    per_seat = dict(
        in_congress.values_list("recipients").annotate(n=Count("pk", distinct=True)).order_by()
    )
    seats = Official.objects.filter(pk__in=per_seat).prefetch_related("terms")
    by_member = sorted(
        ((f"{seat.name} ({seat.office})", per_seat[seat.pk]) for seat in seats),
        key=lambda row: (-row[1], row[0]),
    )
    by_state = (
        in_congress.values("recipients__state")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "recipients__state")
    )
    by_district = (
        in_congress.filter(recipients__chamber=Official.Chamber.HOUSE)
        .values("recipients__state", "recipients__district")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "recipients__state", "recipients__district")
    )
    return {
        "by_member": by_member,
        "by_state": [(congress.state_name(row["recipients__state"]), row["n"]) for row in by_state],
        "by_district": [
            (
                congress.district_label(row["recipients__state"], row["recipients__district"]),
                row["n"],
            )
            for row in by_district
        ],
    }
