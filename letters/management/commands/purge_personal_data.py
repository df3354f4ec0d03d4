"""Delete students' personal data of campaigns closed longer than their retention period."""

from django.core.management.base import BaseCommand

from letters.retention import campaigns_due_for_purge, personal_data_purge


class Command(BaseCommand):
    help = (
        "Delete the letters, PDFs and print packs of campaigns closed longer than their retention "
        "period, keeping anonymous counts. The periodic task does this every day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would go.")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            for campaign in campaigns_due_for_purge():
                self.stdout.write(
                    f"would purge {campaign.slug} ({campaign.letters.count()} letters)"
                )
            return
        purged = personal_data_purge()
        for slug, count in purged.items():
            self.stdout.write(f"purged {slug}: {count} letters deleted")
        self.stdout.write(self.style.SUCCESS(f"{len(purged)} campaigns purged."))
