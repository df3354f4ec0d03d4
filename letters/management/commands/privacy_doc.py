"""docs/privacy.md, written from the list the student's privacy page shows (letters/privacy.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from letters import privacy


def render() -> str:
    """The text of docs/privacy.md (in English, whatever the active language)."""
    with translation.override("en"):
        lines = [
            "# What Campaign Letters keeps about students, why, and for how long",
            "",
            "Generated from `letters/privacy.py` by `manage.py privacy_doc`; do not edit by hand "
            "(a test fails when this file and the module differ). The same list is the students' "
            "privacy page (`/privacy/`, in English and Spanish), linked from the footer and from "
            "the letter form.",
            "",
            "Students are often minors. The app asks for what a letter needs and nothing more. "
            + str(privacy.NEVER_ASKED),
            "",
            "Every field of a `Letter` is listed here; a test (`tests/letters/test_privacy.py`) "
            "fails when the model gains a field this table does not list, so a new field about a "
            "student is always a decision.",
            "",
            "## How long",
            "",
            str(privacy.HOW_LONG) % {"days": privacy.DEFAULT_RETENTION_DAYS}
            + " ("
            + privacy.HOW_LONG_DETAIL
            + ")",
            "",
            "## What is kept",
            "",
            "| field | what | why it is needed | notes |",
            "|---|---|---|---|",
        ]
        for kept in privacy.KEPT:
            fields = ", ".join(f"`{name}`" for name in kept.fields)
            lines.append(f"| {fields} | {kept.what} | {kept.why} | {kept.detail or ''} |")
        lines += [
            "",
            "## Replies from officials",
            "",
            "| rows | what | why it is needed | notes |",
            "|---|---|---|---|",
        ]
        for kept in privacy.REPLIES_KEPT:
            fields = ", ".join(f"`{name}`" for name in kept.fields)
            lines.append(f"| {fields} | {kept.what} | {kept.why} | {kept.detail or ''} |")
        lines += [
            "",
            "Related rows deleted with a letter: " + privacy.RELATED_ROWS,
            "",
            "## Not kept anywhere",
            "",
            *[f"- {text} {detail}" for text, detail in privacy.NOT_KEPT],
            "",
        ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Write docs/privacy.md from letters/privacy.py (a test checks they agree)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only say whether the file is up to date"
        )

    def handle(self, *args, check: bool = False, **options):
        path = settings.BASE_DIR / "docs" / "privacy.md"
        text = render()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != text:
                self.stderr.write(f"{path} is stale: run manage.py privacy_doc")
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
