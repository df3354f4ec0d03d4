"""Write docs/permissions.md from the permission matrix (coordinate/permissions.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from coordinate import permissions


class Command(BaseCommand):
    help = "Write docs/permissions.md from coordinate/permissions.py (a test checks they agree)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only say whether the file is up to date"
        )

    def handle(self, *args, check: bool = False, **options):
        path = settings.BASE_DIR / "docs" / "permissions.md"
        text = permissions.markdown()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != text:
                self.stderr.write(f"{path} is stale: run manage.py permissions_doc")
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
