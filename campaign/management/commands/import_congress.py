import datetime

from django.core.management.base import BaseCommand, CommandError

from campaign.congress_import import ImportFailed, congress_import, default_directory


class Command(BaseCommand):
    #: Changes listed at the default verbosity (a first import changes every seat).
    SHOWN = 10
    help = (
        "Import the public data on Congress and the presidency (legislators-current.yaml, "
        "executive.yaml, zccd.csv) into offices and their holders. Safe to run again: the same "
        "data changes nothing; newer data ends the terms of members no longer in it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=None,
            help="The folder with the files (default: CONGRESS_DATA_DIR, data/us-congress/).",
        )
        parser.add_argument(
            "--as-of",
            default=None,
            help="The date of the data, as 2026-06-15 (default: read from the folder's README.md).",
        )

    def handle(self, *args, path: str | None, as_of: str | None, **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of: “{as_of}” is not a date like 2026-06-15.") from None
        try:
            report = congress_import(directory=path or default_directory(), snapshot_on=day)
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        head, *lines = str(report).splitlines()
        self.stdout.write(self.style.SUCCESS(head))
        shown = lines if options["verbosity"] > 1 else lines[: self.SHOWN]
        for line in shown:
            self.stdout.write(f"  {line}")
        if len(lines) > len(shown):
            self.stdout.write(
                f"  … and {len(lines) - len(shown)} more (--verbosity 2 lists every change)."
            )
