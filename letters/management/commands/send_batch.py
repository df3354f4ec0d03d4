"""Start a batch from the terminal and follow it to the end with a progress bar."""

import sys
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaign.models import Campaign, Team
from letters import batches
from letters.models import Batch
from letters.selectors import batch_progress_counts


class Command(BaseCommand):
    help = (
        "Send a campaign's approved, unsent letters as a batch (email or print), and show progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="The campaign's slug.")
        parser.add_argument("--method", required=True, choices=Batch.Method.values)
        parser.add_argument("--team", help="Only this team's letters (its join code).")
        parser.add_argument(
            "--no-wait", action="store_true", help="Start the batch and return without waiting."
        )
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait at most.")

    def handle(
        self,
        *args,
        campaign: str,
        method: str,
        team: str | None,
        no_wait: bool,
        timeout: float,
        **options,
    ):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with the slug {campaign!r}.")
        chosen_team = None
        if team:
            chosen_team = Team.objects.filter(
                campaign=found, join_code=team.strip().upper()
            ).first()
            if chosen_team is None:
                raise CommandError(f"No team of {found.slug} has the code {team!r}.")
        try:
            batch = batches.batch_start(campaign=found, method=method, user=None, team=chosen_team)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Batch #{batch.pk}: {batch.letter_count} letters, {batch.deliveries.count()} deliveries."
        )
        if no_wait:
            return
        deadline = time.monotonic() + timeout
        while True:
            progress = batch_progress_counts(batch)
            self._draw(progress)
            if progress["finished"] or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.stdout.write("")
        if not progress["finished"]:
            raise CommandError("Timed out; the batch goes on in the workers.")
        if progress["failed"]:
            self.stdout.write(
                self.style.WARNING(f"{progress['failed']} deliveries failed: see the batch page.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Done."))

    def _draw(self, progress: dict) -> None:
        width = 40
        filled = round(width * progress["percent"] / 100)
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {progress['percent']:3d}%  "
            f"sent {progress['sent']}  failed {progress['failed']}  of {progress['total']}"
        )
        self.stdout.write(line, ending="")
        sys.stdout.flush()
