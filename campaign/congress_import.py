"""The import of public data on Congress and the presidency into offices and their holders.

Reads the files of data/us-congress/ (or newer versions of them, from another folder):
`legislators-current.yaml` (the members of Congress, with their seats, terms and Washington
offices), `executive.yaml` (the presidents' terms) and `zccd.csv` (ZIP code areas to districts),
and the date of the snapshot from the folder's README.md (or given). One office per Senate seat
(state and class) and per House district (and the delegates' seats), each with the holder the data
names, checked on the snapshot's date. A new import updates them: a member no longer in the data
has their term ended; a new one gets a term; the same data a second time changes nothing.
"""

import csv
import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation

from campaign import congress
from campaign.models import CongressImport, Official, Term, ZipCodeArea

LEGISLATORS_FILE = "legislators-current.yaml"
EXECUTIVE_FILE = "executive.yaml"
ZIP_FILE = "zccd.csv"
PRESIDENT_SLUG = "us-president"
SOURCE_NAME = "unitedstates/congress-legislators"
#: Terms of one seat at most this far apart are one time in office (re-election, a new Congress).
CONTINUOUS = datetime.timedelta(days=7)


class ImportFailed(Exception):
    """The files cannot be imported; the message says why."""


@dataclass(frozen=True)
class Holder:
    member_id: str
    name: str
    last_name: str
    gender: str
    kind: str  # senator, representative, delegate, resident_commissioner, president
    starts_on: datetime.date
    ends_on: datetime.date | None
    phone: str = ""
    contact_url: str = ""
    postal_address: str = ""


@dataclass(frozen=True)
class Seat:
    chamber: str
    state: str
    senate_class: int | None = None
    district: int | None = None

    @property
    def slug(self) -> str:
        if self.chamber == Official.Chamber.SENATE:
            return congress.senate_slug(self.state, self.senate_class)
        return congress.house_slug(self.state, self.district)

    def words(self) -> congress.SeatWords:
        if self.chamber == Official.Chamber.SENATE:
            return congress.senate_seat_words(self.state)
        return congress.house_seat_words(self.state, self.district)


@dataclass
class ImportReport:
    snapshot_on: datetime.date
    counts: Counter = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)

    def note(self, kind: str, line: str = "") -> None:
        self.counts[kind] += 1
        if line:
            self.lines.append(line)

    @property
    def changed(self) -> bool:
        unchanged = ("holders unchanged", "holders checked after the data, kept")
        return any(n for kind, n in self.counts.items() if kind not in unchanged)

    def __str__(self) -> str:
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(self.counts.items()))
        head = f"Congress data of {self.snapshot_on.isoformat()}: {summary or 'nothing to do'}."
        return "\n".join([head, *self.lines])


def default_directory() -> Path:
    return Path(settings.CONGRESS_DATA_DIR)


def snapshot_date(directory: Path, filename: str = LEGISLATORS_FILE) -> datetime.date:
    """The date of the snapshot of `filename`, from the folder's README table."""
    readme = directory / "README.md"
    if not readme.exists():
        raise ImportFailed(f"{readme} is missing: give the snapshot's date with --as-of.")
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells and cells[0].strip("`") == filename:
            for cell in cells[1:]:
                found = re.match(r"(\d{4}-\d{2}-\d{2})", cell)
                if found:
                    return datetime.date.fromisoformat(found.group(1))
    raise ImportFailed(f"{readme} gives no date for {filename}: give it with --as-of.")


def _load_yaml(path: Path):
    if not path.exists():
        raise ImportFailed(f"{path} is missing.")
    stat = path.stat()
    return _parsed_yaml(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _parsed_yaml(path: str, _mtime_ns: int, _size: int):
    """A YAML file, parsed once per version of it (the legislators' file takes two seconds)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        try:
            return yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as error:
            raise ImportFailed(f"{path} is not valid YAML: {error}") from None


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _address(term: dict) -> str:
    """ "511 Hart Senate Office Building Washington DC 20510" as two lines for an envelope."""
    address = (term.get("address") or "").strip()
    if not address:
        return ""
    zip_code = re.search(r"(\d{5}(?:-\d{4})?)\s*$", address)
    office = (term.get("office") or "").strip()
    if not office:
        office = re.split(r"\s+Washington\b", address)[0].strip(" ,;")
    if not (zip_code and office):
        return ""
    return f"{office}\nWashington, DC {zip_code.group(1)}"


def _url(value) -> str:
    """A contact form's address, if it is one (a bad value in the data is left out)."""
    text = str(value or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return ""
    return text if len(text) <= 200 else ""


def _seat(term: dict) -> Seat:
    if term["type"] == "sen":
        return Seat(Official.Chamber.SENATE, term["state"], senate_class=int(term["class"]))
    return Seat(Official.Chamber.HOUSE, term["state"], district=int(term.get("district") or 0))


def _start_of_service(terms: list[dict], seat: Seat) -> datetime.date:
    """The first day of the member's unbroken time in this seat (re-elections join up)."""
    start = _date(terms[-1]["start"])
    for term in reversed(terms[:-1]):
        if term["type"] != terms[-1]["type"] or _seat(term) != seat:
            break
        if _date(term["end"]) + CONTINUOUS < start:
            break
        start = _date(term["start"])
    return start


def read_legislators(path: Path) -> dict[Seat, Holder]:
    members = _load_yaml(path)
    if not isinstance(members, list):
        raise ImportFailed(f"{path} is not a list of members.")
    seats: dict[Seat, Holder] = {}
    for member in members:
        terms = member.get("terms") or []
        if not terms:
            continue
        term = terms[-1]
        seat = _seat(term)
        name = member["name"]
        kind = "senator" if seat.chamber == Official.Chamber.SENATE else None
        seats[seat] = Holder(
            member_id=str(member["id"]["bioguide"]),
            name=name.get("official_full") or f"{name['first']} {name['last']}",
            last_name=name["last"],
            gender=(member.get("bio") or {}).get("gender", ""),
            kind=kind or congress.house_title(seat.state),
            starts_on=_start_of_service(terms, seat),
            ends_on=_date(term.get("end")),
            phone=str(term.get("phone") or "")[:30],
            contact_url=_url(term.get("contact_form")),
            postal_address=_address(term),
        )
    return seats


def read_president(path: Path, day: datetime.date) -> Holder | None:
    """The president whose term covers `day`, in executive.yaml."""
    for person in _load_yaml(path):
        for term in person.get("terms") or []:
            if term.get("type") != "prez":
                continue
            start, end = _date(term["start"]), _date(term.get("end"))
            if start <= day and (end is None or day < end):
                name = person["name"]
                return Holder(
                    member_id=str(person["id"].get("bioguide") or person["id"].get("govtrack")),
                    name=name.get("official_full") or f"{name['first']} {name['last']}",
                    last_name=name["last"],
                    gender=(person.get("bio") or {}).get("gender", ""),
                    kind="president",
                    starts_on=start,
                    ends_on=end,
                )
    return None


def read_zip_areas(path: Path) -> set[tuple[str, str, int]]:
    if not path.exists():
        raise ImportFailed(f"{path} is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        missing = {"state_abbr", "zcta", "cd"} - set(rows.fieldnames or [])
        if missing:
            raise ImportFailed(f"{path} has no column {', '.join(sorted(missing))}.")
        return {
            (row["zcta"].strip().zfill(5), row["state_abbr"].strip(), int(row["cd"]))
            for row in rows
        }


def _in_languages(model, name: str, text) -> dict:
    """Values for a field in English and Spanish: `text` is called in each language. Where the
    field has a column per language (django-modeltranslation), both are filled."""
    names = {f.name for f in model._meta.get_fields()}
    if f"{name}_es" not in names:
        with translation.override("en"):
            return {name: text()}
    values = {}
    for language in ("en", "es"):
        with translation.override(language):
            values[f"{name}_{language}"] = text()
    return values


def _set_changed(instance, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


def _save(instance, reason: str) -> None:
    instance._change_reason = reason  # kept in the history (django-simple-history)
    instance.full_clean()
    instance.save()


def _office(
    seat: Seat, holder: Holder | None, offices: dict, report: ImportReport, reason: str
) -> Official:
    words = seat.words
    values = {
        **_in_languages(Official, "office", lambda: words().office),
        **_in_languages(Official, "addressed_title", lambda: words().addressed_title),
        **_in_languages(Official, "salutation", lambda: words().salutation),
        "chamber": seat.chamber,
        "state": seat.state,
        "senate_class": seat.senate_class,
        "district": seat.district,
        # Letters go to the holder's Washington office; to the chamber while the seat is vacant.
        "postal_address": (holder and holder.postal_address)
        or congress.CHAMBER_ADDRESSES[seat.chamber],
    }
    office = offices.get(seat.slug)
    if office is None:
        office = Official(slug=seat.slug, **values)
        _save(office, reason)
        report.note("offices created")
    elif _set_changed(office, values):
        _save(office, reason)
        report.note("offices updated", f"Updated {office.office}.")
    return office


def _holder_values(holder: Holder, snapshot_on: datetime.date, source: str) -> dict:
    return {
        "name": holder.name,
        **_in_languages(
            Term,
            "salutation",
            lambda: congress.holder_salutation(holder.kind, holder.last_name, holder.gender),
        ),
        "ends_on": holder.ends_on,
        "phone": holder.phone,
        "contact_url": holder.contact_url,
        "verified_on": snapshot_on,
        "verification_source": source,
        "record": Term.Record.DATA_IMPORT,
    }


def _end_terms(office: Official, *, keep: Term | None, ends_on: datetime.date, day, report, reason):
    """End the office's terms that the data (of `day`) no longer supports: open on that day,
    started before it, and last checked no later than the data (a newer check is kept)."""
    for term in _terms(office):
        if term == keep or not term.covers(day) or term.starts_on >= day:
            continue
        if term.verified_on > day:
            continue
        term.ends_on = max(term.starts_on, ends_on)
        term.verified_on = day
        term.verification_source = f"Not in the public data of {day.isoformat()} ({SOURCE_NAME})"
        _save(term, reason)
        report.note("terms ended", f"{term.name} no longer holds {office.office}.")


def _terms(office: Official) -> list[Term]:
    """The office's terms, read once (prefetched) and kept up to date by this import."""
    cache = getattr(office, "_import_terms", None)
    if cache is None:
        cache = office._import_terms = list(office.terms.all()) if office.pk else []
    return cache


def _holder(office: Official, holder: Holder | None, *, day, source, report, reason) -> None:
    if holder is None:
        _end_terms(
            office,
            keep=None,
            ends_on=day - datetime.timedelta(days=1),
            day=day,
            report=report,
            reason=reason,
        )
        return
    values = _holder_values(holder, day, source)
    terms = _terms(office)
    term = next(
        (t for t in terms if t.member_id == holder.member_id and t.starts_on == holder.starts_on),
        None,
    ) or next(
        (
            t
            for t in terms
            if not t.member_id and t.name == holder.name and t.starts_on == holder.starts_on
        ),
        None,
    )
    if term is None:
        term = Term(official=office, member_id=holder.member_id, starts_on=holder.starts_on)
        _set_changed(term, values)
        _save(term, reason)
        terms.append(term)
        report.note("new holders", f"{holder.name} now holds {office.office}.")
    elif term.verified_on > day:
        # Checked (by an administrator) after this data was: the newer check stands.
        report.note("holders checked after the data, kept")
    else:
        values["member_id"] = holder.member_id
        checked_only = {"verified_on", "verification_source"}
        changes = [n for n, v in values.items() if getattr(term, n) != v]
        if changes:
            _set_changed(term, values)
            _save(term, reason)
        if set(changes) - checked_only:
            report.note("holders updated", f"{holder.name}, {office.office}: {', '.join(changes)}.")
        elif changes:
            report.note("holders checked again")
        else:
            report.note("holders unchanged")
    _end_terms(
        office,
        keep=term,
        ends_on=holder.starts_on - datetime.timedelta(days=1),
        day=day,
        report=report,
        reason=reason,
    )


def _seat_order(seat: Seat) -> tuple:
    return (seat.chamber, seat.state, seat.senate_class or 0, seat.district or 0)


def congress_import(
    *, directory: Path | None = None, snapshot_on: datetime.date | None = None
) -> ImportReport:
    """Import the folder's files; see the module's docstring. Raises ImportFailed."""
    directory = Path(directory or default_directory())
    if not directory.is_dir():
        raise ImportFailed(f"{directory} is not a folder with the data on Congress.")
    day = snapshot_on or snapshot_date(directory)
    members = read_legislators(directory / LEGISLATORS_FILE)
    zip_areas = read_zip_areas(directory / ZIP_FILE)
    president = read_president(directory / EXECUTIVE_FILE, day)
    report = ImportReport(snapshot_on=day)
    source = f"{SOURCE_NAME} data of {day.isoformat()}"
    reason = f"Import of the public data of {day.isoformat()}"
    seats = set(members)
    seats |= {
        Seat(Official.Chamber.HOUSE, state, district=district)
        for _zip, state, district in zip_areas
    }
    with transaction.atomic():
        known = Official.objects.exclude(chamber=Official.Chamber.NONE).prefetch_related("terms")
        offices = {office.slug: office for office in known}
        by_slug = dict(offices)
        for seat in sorted(seats, key=_seat_order):
            holder = members.get(seat)
            office = _office(seat, holder, offices, report, reason)
            by_slug.pop(office.slug, None)
            _holder(office, holder, day=day, source=source, report=report, reason=reason)
        for office in by_slug.values():  # seats the data no longer has a member for
            if office.postal_address != congress.CHAMBER_ADDRESSES[office.chamber]:
                office.postal_address = congress.CHAMBER_ADDRESSES[office.chamber]
                _save(office, reason)
            _holder(office, None, day=day, source=source, report=report, reason=reason)
        presidency = Official.objects.filter(slug=PRESIDENT_SLUG).first()
        if presidency is None:
            report.lines.append(f"No office “{PRESIDENT_SLUG}”: load the seed first.")
        elif president is not None:
            _holder(presidency, president, day=day, source=source, report=report, reason=reason)
        _zip_areas(zip_areas, report)
        if report.changed or not CongressImport.objects.filter(snapshot_on=day).exists():
            CongressImport.objects.create(
                snapshot_on=day,
                source=str(directory),
                changes=dict(report.counts),
                report=str(report),
            )
    return report


def _zip_areas(areas: set[tuple[str, str, int]], report: ImportReport) -> None:
    stored = set(ZipCodeArea.objects.values_list("zip_code", "state", "district"))
    gone = stored - areas
    new = areas - stored
    if gone:
        for zip_code, state, district in gone:
            ZipCodeArea.objects.filter(zip_code=zip_code, state=state, district=district).delete()
        report.counts["ZIP code areas removed"] += len(gone)
    if new:
        ZipCodeArea.objects.bulk_create(
            (ZipCodeArea(zip_code=z, state=s, district=d) for z, s, d in sorted(new)),
            batch_size=2000,
        )
        report.counts["ZIP code areas added"] += len(new)
