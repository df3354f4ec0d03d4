"""A management command that writes a doc generated from code, or checks it is up to date."""

from django.conf import settings
from django.core.management.base import BaseCommand


class GeneratedDocCommand(BaseCommand):
    """Subclasses name the file under docs/ (`doc`) and give `render()`, its whole text."""

    doc = ""

    def render(self) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only say whether the file is up to date"
        )

    def handle(self, *args, check: bool = False, **options):
        path = settings.BASE_DIR / "docs" / self.doc
        text = self.render()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != text:
                self.stderr.write(
                    f"{path} is stale: run manage.py {self.__module__.rsplit('.', 1)[-1]}"
                )
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
