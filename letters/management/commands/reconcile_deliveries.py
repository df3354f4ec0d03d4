"""Put back on the queue the deliveries and student emails a crash or a lost broker left queued
or sending."""

from django.core.management.base import BaseCommand

from letters import outbox, student_emails


class Command(BaseCommand):
    help = (
        "Re-queue email deliveries and emails to students stuck in queued or sending "
        "(the periodic task does this too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queued-grace", type=float, help="Seconds (default: the setting).")
        parser.add_argument("--sending-timeout", type=float, help="Seconds (default: the setting).")

    def handle(self, *args, queued_grace, sending_timeout, **options):
        ids = outbox.deliveries_reconcile(
            queued_grace=queued_grace, sending_timeout=sending_timeout
        )
        emails = student_emails.student_emails_reconcile(
            queued_grace=queued_grace, sending_timeout=sending_timeout
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Put {len(ids)} deliveries and {len(emails)} student emails back on the queue."
            )
        )
