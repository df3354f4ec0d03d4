"""The shipped congress data, imported for a test, and modified copies of it."""

import datetime
import shutil
from pathlib import Path

import yaml
from django.conf import settings

from campaign.congress_import import congress_import

SHIPPED = Path(settings.BASE_DIR) / "data" / "us-congress"
SNAPSHOT_ON = datetime.date(2026, 6, 15)
LEGISLATORS = SHIPPED / "legislators-current.yaml"


def import_shipped():
    return congress_import(directory=SHIPPED)


def members() -> list[dict]:
    with LEGISLATORS.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def current_term(member: dict) -> dict:
    return member["terms"][-1]


def find(people: list[dict], **where) -> dict:
    """The member whose current term has these values (state="WA", type="sen", class=1)."""
    for member in people:
        term = current_term(member)
        if all(term.get(key) == value for key, value in where.items()):
            return member
    raise LookupError(where)


def modified_copy(directory: Path, people: list[dict]) -> Path:
    """A copy of the shipped folder whose legislators' file holds `people`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("README.md", "executive.yaml", "zccd.csv"):
        shutil.copy(SHIPPED / name, directory / name)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with (directory / "legislators-current.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(people, handle, Dumper=dumper, allow_unicode=True, sort_keys=False)
    return directory


def remove_imported() -> None:
    """Delete what an import wrote (for a module-wide fixture, outside the tests' transactions)."""
    from campaign.models import CongressImport, Official, Term, ZipCodeArea

    seats = Official.objects.exclude(chamber=Official.Chamber.NONE)
    Term.history.filter(official_id__in=seats.values("pk")).delete()
    Term.objects.filter(official__in=seats).delete()
    Official.history.filter(id__in=seats.values("pk")).delete()
    seats.delete()
    ZipCodeArea.objects.all().delete()
    CongressImport.objects.all().delete()
