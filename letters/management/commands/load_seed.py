from django.core.management.base import BaseCommand

from letters.seed import SEED_FILE, load_seed


class Command(BaseCommand):
    help = (
        "Load the seed campaigns from fixtures/seed.json. "
        "Safe to run again: creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE), help="The seed file to read.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also bring existing seed rows back to the file's content (undoes admin edits).",
        )

    def handle(self, *args, file: str, update: bool, **options):
        report = load_seed(file, update=update)
        self.stdout.write(self.style.SUCCESS(str(report)))
