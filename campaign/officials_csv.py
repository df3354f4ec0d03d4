"""Offices as CSV (who holds them is kept apart, in terms): export them, and import a file all-or-nothing with each bad row named."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import Official
from config.spreadsheet import safe_cell, unescape_cell

COLUMNS = ["slug", "office", "addressed_title", "salutation", "postal_address", "delivery_email"]
#: The texts in English (the columns above) are also given in Spanish, in optional columns.
TRANSLATED = ["office", "addressed_title", "salutation"]
SPANISH_COLUMNS = [f"{name}_es" for name in TRANSLATED]
REQUIRED = {"slug", "office", "addressed_title", "salutation", "postal_address"}
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000


def export_officials(officials) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS + SPANISH_COLUMNS)
    for official in officials:
        row = []
        for column in COLUMNS + SPANISH_COLUMNS:
            value = getattr(official, f"{column}_en" if column in TRANSLATED else column)
            row.append(value.isoformat() if isinstance(value, datetime.date) else value or "")
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def read_upload(upload) -> bytes:
    """The uploaded file's bytes; one larger than MAX_BYTES is refused before it is read."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportFailed([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    content = upload.read(MAX_BYTES + 1)  # never more, whatever size it claimed
    if len(content) > MAX_BYTES:
        raise ImportFailed([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    return content


def import_officials(content: bytes) -> ImportResult:
    """Create or update officials (by slug) from CSV; any bad row means nothing is imported."""
    if len(content) > MAX_BYTES:
        raise ImportFailed([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(["The file is not UTF-8 text. Save it as “CSV UTF-8”."]) from None
    if "\x00" in text:  # a database would refuse it (PostgreSQL) or keep it (SQLite)
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFailed([f"Line {line}: the file holds a NUL character; it is not a CSV file."])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS + SPANISH_COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append("missing columns: " + ", ".join(missing))
        if unknown:
            problems.append("unknown columns: " + ", ".join(unknown))
        raise ImportFailed([f"Line 1 (the header): {'; '.join(problems)}."])
    result = ImportResult()
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            while True:
                line = reader.line_num + 1  # where the row starts: a cell may span lines
                row = next(reader, None)
                if row is None:
                    break
                if len(seen) >= MAX_ROWS:
                    result.errors.append(f"More than {MAX_ROWS} rows: split the file.")
                    break
                _import_row(row, line, seen, result)
            if result.errors:
                raise ImportFailed(result.errors)
    except csv.Error as error:
        raise ImportFailed([f"Line {reader.line_num}: the CSV cannot be read ({error})."]) from None
    return result


def _import_row(row: dict, line: int, seen: dict[str, int], result: ImportResult) -> None:
    values = {
        key.strip(): unescape_cell((value or "").strip()) for key, value in row.items() if key
    }
    if None in row:
        result.errors.append(f"Line {line}: more cells than columns.")
        return
    slug = values.get("slug", "")
    if slug in seen:
        result.errors.append(f"Line {line}: the slug “{slug}” is also on line {seen[slug]}.")
        return
    seen[slug] = line
    empty = sorted(name for name in REQUIRED if not values.get(name))
    if empty:
        result.errors.append(f"Line {line}: {', '.join(empty)} must not be empty.")
        return
    problems: dict[str, list[str]] = {}
    fields = {
        **{f"{name}_en": values[name] for name in TRANSLATED},
        **{column: values[column] for column in SPANISH_COLUMNS if column in values},
        "postal_address": values["postal_address"].replace("\r\n", "\n"),
        "delivery_email": values["delivery_email"],
    }
    official = Official.objects.filter(slug=slug).first()
    created = official is None
    official = official or Official(slug=slug)
    for name, value in fields.items():
        setattr(official, name, value)
    try:
        official.full_clean(exclude=list(problems))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.setdefault(name, []).extend(messages)
    if problems:
        described = []
        for name, messages in problems.items():
            label = "" if name == "__all__" else f"{name}: "
            described.extend(f"{label}{message}" for message in messages)
        result.errors.append(f"Line {line}: {' '.join(described)}")
        return
    if not result.errors:
        official.save()
        if created:
            result.created += 1
        else:
            result.updated += 1
