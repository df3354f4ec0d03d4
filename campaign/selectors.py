"""Reads that views share."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.query import RawQuerySet

from campaign import congress
from campaign.models import CongressImport, Official, Term

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


# --- Members of Congress by ZIP code -------------------------------------------------------------


@dataclass(frozen=True)
class CongressArea:
    """A state and district a ZIP code overlaps, with its seats in Congress."""

    state: str
    district: int
    senators: tuple[Official, ...]
    representative: Official | None

    @property
    def key(self) -> str:
        return f"{self.state}-{self.district}"

    @property
    def label(self) -> str:
        return congress.district_label(self.state, self.district)

    @property
    def state_name(self) -> str:
        return congress.state_name(self.state)


@dataclass(frozen=True)
class ZipLookup:
    zip_code: str
    areas: tuple[CongressArea, ...]

    @property
    def found(self) -> bool:
        return bool(self.areas)

    @property
    def states(self) -> list[str]:
        return sorted({area.state for area in self.areas})


def _seat_order(office: Official) -> tuple:
    return (office.senate_class or 0, office.slug)


def senators_of(state: str) -> list[Official]:
    """The state's Senate seats (none for a territory), with their terms."""
    offices = Official.objects.filter(chamber=Official.Chamber.SENATE, state=state)
    return sorted(
        offices.prefetch_related(Prefetch("terms", queryset=Term.objects.order_by())),
        key=_seat_order,
    )


#: The seats of a ZIP code's states and districts (tests/campaign/test_congress_lookup.py checks
#: the table names against the models').
SEATS_SQL = (
    # From the ZIP code's few rows to the seats, on indexes both ways: its districts' House
    # seats, then its states' Senate seats.
    # (CROSS JOIN: SQLite then reads the ZIP code's rows first; PostgreSQL plans it as a join.)
    "SELECT o.* FROM campaign_zipcodearea z CROSS JOIN campaign_official o"
    " WHERE z.zip_code = %s"
    " AND o.chamber = %s AND o.state = z.state AND o.district = z.district"
    " UNION"
    " SELECT o.* FROM campaign_official o"
    " WHERE o.chamber = %s"
    " AND o.state IN (SELECT state FROM campaign_zipcodearea WHERE zip_code = %s)"
)


TERMS_SQL = "SELECT t.* FROM campaign_term t WHERE t.official_id IN ({ids})"


def _attach_terms(offices: list[Official]) -> None:
    """Each office's terms, read in one plain query and kept as Django keeps prefetched rows
    (`office.terms.all()` reads them, as `holder_on` does): what prefetch_related does, without
    the translated models' manager (django-modeltranslation rewrites every query it makes),
    which took most of a lookup. The seats are read the same way."""
    by_office: dict[int, list[Term]] = {office.pk: [] for office in offices}
    placeholders = ", ".join(["%s"] * len(by_office))
    for term in RawQuerySet(TERMS_SQL.format(ids=placeholders), model=Term, params=list(by_office)):
        by_office[term.official_id].append(term)
    for office in offices:
        fetched = QuerySet(Term)
        fetched._result_cache = by_office[office.pk]
        fetched._prefetch_done = True
        office._prefetched_objects_cache = {"terms": fetched}


def congress_lookup(zip_code: str) -> ZipLookup:
    """The districts a five-digit ZIP code overlaps (imported data), each with its senators and
    member of the House. Two plain SQL statements, the seats and their terms: compiling them
    through the ORM took ten times longer than the database's answer (benchmarks/
    congress_lookup.py)."""
    offices = list(
        RawQuerySet(
            SEATS_SQL,
            model=Official,
            params=[zip_code, Official.Chamber.HOUSE, Official.Chamber.SENATE, zip_code],
        )
    )
    if not offices:
        return ZipLookup(zip_code, ())
    _attach_terms(offices)
    senators: dict[str, list[Official]] = {}
    for office in offices:
        if office.chamber == Official.Chamber.SENATE:
            senators.setdefault(office.state, []).append(office)
    house = sorted(
        (office for office in offices if office.chamber == Official.Chamber.HOUSE),
        key=lambda office: (office.state, office.district),
    )
    return ZipLookup(
        zip_code,
        tuple(
            CongressArea(
                state=office.state,
                district=office.district,
                senators=tuple(sorted(senators.get(office.state, []), key=_seat_order)),
                representative=office,
            )
            for office in house
        ),
    )


def latest_congress_import() -> CongressImport | None:
    return CongressImport.objects.order_by("-imported_at", "-pk").first()
