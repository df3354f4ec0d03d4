"""Reads that views share."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from campaign.models import Official

#: Where letters to an official are sent: an administrator changes these (the history keeps each
#: change, with who made it), and a coordinator is shown recent changes before starting a batch.
ADDRESS_FIELDS = ("delivery_email", "postal_address")


@dataclass(frozen=True)
class AddressChange:
    official: Official
    field: str  # one of ADDRESS_FIELDS
    value: str  # the address now
    changed_at: datetime.datetime
    changed_by: str  # the user name, or "" when not known (a command, a migration)


def official_address_changes(
    *, officials: QuerySet[Official], since: datetime.datetime
) -> list[AddressChange]:
    """Changes of the officials' delivery email or postal address made since `since`, newest
    first (the address an official was added with is not a change). Two queries, however many
    officials and changes."""
    history = Official.history.model
    # An official's history is short (edited a few times a year): read it whole, in order, to
    # compare each version with the one before.
    rows = (
        history.objects.filter(id__in=officials.values("pk"))
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", "history_user__username", *ADDRESS_FIELDS)
    )
    found: list[tuple[int, str, str, datetime.datetime, str]] = []
    before: dict[int, dict] = {}
    for row in rows:
        previous = before.get(row["id"])
        if previous is not None and row["history_date"] >= since:
            for name in ADDRESS_FIELDS:
                if row[name] != previous[name]:
                    by = row["history_user__username"] or ""
                    found.append((row["id"], name, row[name], row["history_date"], by))
        before[row["id"]] = row
    if not found:
        return []
    named = Official.objects.in_bulk({official_id for official_id, *_rest in found})
    changes = [
        AddressChange(named[official_id], name, value, at, by)
        for official_id, name, value, at, by in found
        if official_id in named
    ]
    return sorted(changes, key=lambda change: change.changed_at, reverse=True)
