"""Turn a letter into HTML and plain text: the same function serves the preview, the PDF, the
batch and the benchmark.

Rendering works from a *snapshot*: a dictionary of plain strings and lists that holds everything a
letter needs (the template's words, the author's details, the officials' names and addresses, the
chosen recommendations). A draft is rendered from a snapshot built from the database; a submitted
letter from the snapshot stored when it was submitted, so later edits to a template, a
recommendation or an official never change a letter already written.

A snapshot holds the words in the letter's language: the campaign's title, the recommendations,
the offices and how they are greeted, in Spanish for a Spanish letter. A text that has no words in
that language yet is frozen in English, as a list of [text, language] runs, so the letter marks it
`lang="en"` (template_language.Marked). Snapshots of version 1, from before campaign content had a
Spanish side, hold English content whatever the letter's language: they are read so.
"""

import datetime
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from campaign import content_cache
from campaign.languages import CONTENT_LANGUAGE, text_in
from letters import pdf, template_language
from letters.models import Letter
from letters.template_language import Marked, in_language, join

SNAPSHOT_VERSION = 2
DEFAULT_GREETING = "{{ official.salutation }},"


def _text(instance, field: str, language: str) -> str:
    """The field in the letter's `language`, or its English marked as English."""
    text, found = text_in(instance, field, language)
    return in_language(text, "" if found == language else found)


def _freeze(text: str) -> str | list[list[str]]:
    """A text as JSON: a string in the letter's language, or its runs when part is not."""
    if isinstance(text, Marked) and text.is_marked:
        return [[part, language] for part, language in text.runs]
    return str(text)


def _thaw(value, *, language: str = "") -> str:
    """A text read back from a snapshot; `language`: what a plain string is written in, when
    that is not the letter's language (content in a version-1 snapshot)."""
    if isinstance(value, list):
        return Marked((part, language) for part, language in value)
    return in_language(value or "", language)


def snapshot_text(value) -> str:
    """A text of a snapshot as plain text (a string, or runs of one in several languages)."""
    return str(_thaw(value))


def attribution(source, language: str) -> str:
    """Who published a source, its title (its own words, never translated) and its date, as a
    letter in `language` names them."""
    publisher = _text(source, "publisher", language)
    with translation.override(language):
        date = source.published_display
    title = in_language(source.title, "" if language == CONTENT_LANGUAGE else CONTENT_LANGUAGE)
    if language == CONTENT_LANGUAGE:
        return join([publisher, f", “{title},” {date}"])
    return join([publisher, ", “", title, "”, ", date])


@dataclass(frozen=True)
class RenderedPage:
    """One letter to one official."""

    official_id: int | None
    sender_lines: tuple[str, ...]
    date: str
    recipient_lines: tuple[str, ...]
    subject: str
    salutation: str
    blocks: tuple[template_language.Block, ...]
    closing: str
    signature: str
    cc_line: str


@dataclass(frozen=True)
class RenderedLetter:
    title: str
    author: str
    language: str
    page_size: str
    pages: tuple[RenderedPage, ...]


def _official_snapshot(official, day: datetime.date, language: str) -> dict:
    """The office as the letter addresses it on `day`: to the holder the app can vouch for
    then, or to the office by its title; its title and greeting in the letter's language."""
    holder = official.holder_on(day)
    if holder is None:
        name, salutation = (
            _text(official, "addressed_title", language),
            _text(official, "salutation", language),
        )
    else:
        name, salutation = holder.name, _text(holder, "salutation", language)
    return {
        "id": official.pk,
        "name": _freeze(name),
        "office": _freeze(_text(official, "office", language)),
        "salutation": _freeze(salutation),
        "address": official.postal_address,
        "by_title": holder is None,
    }


def _snapshot(
    *,
    campaign,
    template: dict,
    author: dict,
    personal_paragraph: str,
    recommendations,
    recipients,
    day: datetime.date,
) -> dict:
    language = template["language"]
    return {
        "version": SNAPSHOT_VERSION,
        "campaign": {
            "title": _freeze(_text(campaign, "title", language)),
            "page_size": campaign.page_size,
        },
        "template": template,
        "date": day.isoformat(),
        "author": author,
        "personal_paragraph": personal_paragraph,
        "recommendations": [
            {
                "id": item.pk,
                "text": _freeze(_text(item, "text", language)),
                "source": _freeze(attribution(item.source, language)),
            }
            for item in recommendations
        ],
        "recipients": [_official_snapshot(o, day, language) for o in recipients],
        "cc": [_official_snapshot(o, day, language) for o in campaign.cc.prefetch_related("terms")],
    }


def build_snapshot(letter: Letter, *, on: datetime.date | None = None) -> dict:
    """Everything `letter` is rendered from, read from the database now."""
    template = letter.template
    return _snapshot(
        campaign=letter.campaign,
        template={
            "id": template.pk,
            "version": template.version,
            "language": template.language,
            "subject": template.subject,
            "greeting": template.greeting,
            "body": template.body,
            "closing": template.closing,
        },
        author={
            "first_name": letter.first_name,
            "last_name": letter.last_name,
            "school": letter.school,
            "grade": letter.grade,
            "city": letter.city,
            "state": letter.state,
        },
        personal_paragraph=letter.personal_paragraph,
        recommendations=letter.ordered_recommendations(),
        recipients=letter.recipients.prefetch_related("terms"),
        day=on or timezone.localdate(),
    )


#: Who writes the sample letter administrators preview a template with.
SAMPLE_AUTHOR = {
    "first_name": "Sam",
    "last_name": "Rivera",
    "school": "Lincoln Middle School",
    "grade": "8",
    "city": "Springfield",
    "state": "Illinois",
}
SAMPLE_PARAGRAPH = (
    "My grandmother grew up near a field that was closed for years because of landmines. "
    "No child should have to wonder whether the ground is safe."
)
#: The sample letter in another language than English.
SAMPLES = {
    "es": (
        {**SAMPLE_AUTHOR, "school": "Escuela Secundaria Lincoln"},
        "Mi abuela creció cerca de un campo que estuvo cerrado durante años por las minas. "
        "Ninguna niña ni ningún niño debería preguntarse si el suelo que pisa es seguro.",
    ),
}


def sample_snapshot(
    campaign, *, subject: str, body: str, closing: str, language: str, greeting: str = ""
) -> dict:
    """A snapshot of a sample letter written from a template that may not be saved yet."""
    from campaign.models import Official, Recommendation

    recommendations = list(
        campaign.default_recommendations.order_by("recommendation_list", "position")
    )
    if not recommendations:
        recommendations = list(
            Recommendation.objects.filter(
                recommendation_list__in=campaign.recommendation_lists.all()
            )
            .select_related("recommendation_list__source")
            .order_by("recommendation_list", "position")[:3]
        )
    recipients = list(campaign.targets.prefetch_related("terms")[:1])
    if not recipients:
        recipients = [
            Official(
                office_en="(the office)",
                addressed_title_en="(the office's title)",
                salutation_en="Dear (official)",
                postal_address="(street)\n(city, state ZIP)",
            )
        ]
    author, paragraph = SAMPLES.get(language, (SAMPLE_AUTHOR, SAMPLE_PARAGRAPH))
    return _snapshot(
        campaign=campaign,
        template={
            "id": None,
            "version": 0,
            "language": language,
            "subject": subject,
            "greeting": greeting or DEFAULT_GREETING,
            "body": body,
            "closing": closing,
        },
        author=author,
        personal_paragraph=paragraph,
        recommendations=recommendations,
        recipients=recipients,
        day=timezone.localdate(),
    )


#: How long a draft's snapshot is kept in the cache after it was read (a student reading the
#: preview and downloading the PDF; the worker rendering it).
SNAPSHOT_SECONDS = 15 * 60


def _snapshot_key(letter_id: int) -> str:
    return f"draft-snapshot:{letter_id}"


def snapshot_of(letter: Letter) -> dict:
    """The stored snapshot of a submitted letter, or a fresh one for a draft.

    A draft's is read from the database (its choices, its officials and who holds each office
    today, the campaign's copies), then kept in the cache for SNAPSHOT_SECONDS under the
    letter's id alone, stamped with what it was read from (the letter's `updated_at`, the
    content version, the day): the preview, the PDF's digest and the worker's render share one
    read, and a stamp that no longer matches is read again. One key per letter, so deleting the
    letter deletes it (forget_draft_snapshots): a student's words stay nowhere after that."""
    if letter.snapshot and letter.status != Letter.Status.DRAFT:
        return letter.snapshot
    if letter.pk is None or letter.updated_at is None:
        return build_snapshot(letter)
    read = content_cache.call(content_cache.version_and, _snapshot_key(letter.pk))
    if read is None:
        return build_snapshot(letter)
    version, found = read
    stamp = [letter.updated_at.isoformat(), version, timezone.localdate().isoformat()]
    if isinstance(found, dict) and found.get("stamp") == stamp:
        return found["snapshot"]
    snapshot = build_snapshot(letter)
    content_cache.call(
        cache.set,
        _snapshot_key(letter.pk),
        {"stamp": stamp, "snapshot": snapshot},
        timeout=SNAPSHOT_SECONDS,
    )
    return snapshot


def forget_draft_snapshots(letter_ids: list[int]) -> None:
    """The cached snapshots of these letters are deleted (with the letters)."""
    if letter_ids:
        content_cache.call(cache.delete_many, [_snapshot_key(pk) for pk in letter_ids])


#: How a letter's date is written, per language (a letter spells the month out).
DATE_FORMATS = {"en": "F j, Y", "es": r"j \d\e F \d\e Y"}


def format_date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, DATE_FORMATS.get(language, "DATE_FORMAT"))


def render_snapshot(snapshot: dict) -> RenderedLetter:
    """A snapshot, rendered: pure, no database access."""
    template = snapshot["template"]
    language = template["language"]
    # Version 1: the content was English whatever the letter's language.
    content = "" if snapshot.get("version", 1) > 1 or language == CONTENT_LANGUAGE else "en"
    foreign = "" if language == CONTENT_LANGUAGE else CONTENT_LANGUAGE
    author = snapshot["author"]
    full_name = f"{author['first_name']} {author['last_name']}".strip()
    date = format_date(datetime.date.fromisoformat(snapshot["date"]), language)
    body = template_language.parse(template["body"])

    def office_text(official: dict, key: str) -> str:
        if key == "name" and not official.get("by_title"):
            return _thaw(official["name"])  # a person's name is in no language
        return _thaw(official[key], language=content)

    cc_line = join(
        [
            office_text(o, "office")
            if o.get("by_title")
            else join([office_text(o, "office"), office_text(o, "name")], " ")
            for o in snapshot["cc"]
        ],
        "; ",
    )
    campaign_title = _thaw(snapshot["campaign"]["title"], language=content)
    base_context = {
        "author.first_name": author["first_name"],
        "author.last_name": author["last_name"],
        "author.full_name": full_name,
        "author.school": author["school"],
        "author.city": author["city"],
        "author.state": author["state"],
        "author.grade": author["grade"],
        "date": date,
        "campaign.title": campaign_title,
        "personal_paragraph": snapshot["personal_paragraph"],
    }
    recommendations = [
        {
            "recommendation.text": _thaw(item["text"], language=content),
            "recommendation.number": str(number),
            "recommendation.source": _thaw(item["source"], language=content),
        }
        for number, item in enumerate(snapshot["recommendations"], start=1)
    ]
    place = ", ".join(part for part in (author["city"], author["state"]) if part)
    sender_lines = tuple(line for line in (full_name, author["school"], place) if line)
    pages = []
    for official in snapshot["recipients"]:
        context = {
            **base_context,
            "official.name": office_text(official, "name"),
            "official.office": office_text(official, "office"),
            "official.salutation": office_text(official, "salutation"),
        }
        pages.append(
            RenderedPage(
                official_id=official.get("id"),
                sender_lines=sender_lines,
                date=date,
                recipient_lines=(
                    context["official.name"],
                    *(() if official.get("by_title") else (context["official.office"],)),
                    # A postal address is written as the post of its country reads it.
                    *(
                        in_language(line.strip(), foreign)
                        for line in official["address"].splitlines()
                        if line.strip()
                    ),
                ),
                subject=template_language.render_inline(template["subject"], context),
                salutation=template_language.render_inline(
                    template.get("greeting") or DEFAULT_GREETING, context
                ),
                blocks=tuple(template_language.render(body, context, recommendations)),
                closing=f"{template['closing']},",
                signature=full_name,
                cc_line=cc_line,
            )
        )
    with translation.override(language):
        title = gettext("%(campaign)s: a letter from %(name)s") % {
            "campaign": campaign_title,
            "name": full_name,
        }
    return RenderedLetter(
        title=title,
        author=full_name,
        language=language,
        page_size=snapshot["campaign"]["page_size"],
        pages=tuple(pages),
    )


def render_letter(letter: Letter, *, official_id: int | None = None) -> RenderedLetter:
    """The letter; with `official_id`, only its page to that official."""
    rendered = render_snapshot(snapshot_of(letter))
    if official_id is None:
        return rendered
    pages = tuple(page for page in rendered.pages if page.official_id == official_id)
    if not pages:
        raise ValueError(f"letter {letter.pk} is not addressed to official {official_id}")
    return replace(rendered, pages=pages)


def letter_pdf(rendered: RenderedLetter, html: list[str] | None = None) -> bytes:
    """The PDF of a rendered letter: the one path from rendering to pdf.py. The letter to each
    official is laid out on its own, so its pages count from 1 ("Page 2 of 3"). `html`: its
    letter_documents, when the caller already made them."""
    documents = letter_documents(rendered) if html is None else html
    return pdf.render_pdf(documents, page_size=rendered.page_size)


def letter_documents(rendered: RenderedLetter) -> list[str]:
    """The HTML documents of a letter's PDF: one per official (or one, when it has none)."""
    documents = [letter_html(replace(rendered, pages=(page,))) for page in rendered.pages]
    return documents or [letter_html(rendered)]


def letter_html(rendered: RenderedLetter) -> str:
    """The whole HTML document that pdf.py turns into a PDF (student text escaped here)."""
    return render_to_string("letters/letter_document.html", {"letter": rendered})


def page_text(page: RenderedPage) -> str:
    """One page of a letter as plain text."""
    lines = [*page.sender_lines, "", page.date, "", *page.recipient_lines, ""]
    if page.subject:
        lines += [page.subject, ""]
    lines += [page.salutation, ""]
    for block in page.blocks:
        if block.kind == template_language.BlockKind.LIST:
            lines += [f"{number}. {item}" for number, item in enumerate(block.items, start=1)]
        else:
            lines.append(block.text)
        lines.append("")
    lines += [page.closing, page.signature]
    if page.cc_line:
        lines += ["", f"cc: {page.cc_line}"]
    return "\n".join(lines) + "\n"


def letter_text(rendered: RenderedLetter) -> str:
    """The letter as plain text, one section per official, as stored on submit."""
    return "\n\f\n".join(page_text(page) for page in rendered.pages)
