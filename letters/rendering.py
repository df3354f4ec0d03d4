"""Turn a letter into HTML and plain text: the same function serves the preview, the PDF, the
batch and the benchmark.

Rendering works from a *snapshot*: a dictionary of plain strings and lists that holds everything a
letter needs (the template's words, the author's details, the officials' names and addresses, the
chosen recommendations). A draft is rendered from a snapshot built from the database; a submitted
letter from the snapshot stored when it was submitted, so later edits to a template, a
recommendation or an official never change a letter already written.
"""

import datetime
from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from letters import pdf, template_language
from letters.models import Letter

SNAPSHOT_VERSION = 1
DEFAULT_GREETING = "{{ official.salutation }},"


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


def _official_snapshot(official, day: datetime.date) -> dict:
    """The office as the letter addresses it on `day`: to the holder the app can vouch for
    then, or to the office by its title."""
    addressee = official.addressee_on(day)
    return {
        "id": official.pk,
        "name": addressee.name,
        "office": official.office,
        "salutation": addressee.salutation,
        "address": official.postal_address,
        "by_title": addressee.by_title,
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
    return {
        "version": SNAPSHOT_VERSION,
        "campaign": {"title": campaign.title, "page_size": campaign.page_size},
        "template": template,
        "date": day.isoformat(),
        "author": author,
        "personal_paragraph": personal_paragraph,
        "recommendations": [
            {"id": item.pk, "text": item.text, "source": item.source.attribution}
            for item in recommendations
        ],
        "recipients": [_official_snapshot(o, day) for o in recipients],
        "cc": [_official_snapshot(o, day) for o in campaign.cc.prefetch_related("terms")],
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
                office="(the office)",
                addressed_title="(the office's title)",
                salutation="Dear (official)",
                postal_address="(street)\n(city, state ZIP)",
            )
        ]
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
        author=SAMPLE_AUTHOR,
        personal_paragraph=SAMPLE_PARAGRAPH,
        recommendations=recommendations,
        recipients=recipients,
        day=timezone.localdate(),
    )


def snapshot_of(letter: Letter) -> dict:
    """The stored snapshot of a submitted letter, or a fresh one for a draft."""
    if letter.snapshot and letter.status != Letter.Status.DRAFT:
        return letter.snapshot
    return build_snapshot(letter)


#: How a letter's date is written, per language (a letter spells the month out).
DATE_FORMATS = {"en": "F j, Y", "es": r"j \d\e F \d\e Y"}


def format_date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, DATE_FORMATS.get(language, "DATE_FORMAT"))


def render_snapshot(snapshot: dict) -> RenderedLetter:
    """A snapshot, rendered: pure, no database access."""
    template = snapshot["template"]
    language = template["language"]
    author = snapshot["author"]
    full_name = f"{author['first_name']} {author['last_name']}".strip()
    date = format_date(datetime.date.fromisoformat(snapshot["date"]), language)
    body = template_language.parse(template["body"])
    cc_line = "; ".join(
        o["office"] if o.get("by_title") else f"{o['office']} {o['name']}" for o in snapshot["cc"]
    )
    base_context = {
        "author.first_name": author["first_name"],
        "author.last_name": author["last_name"],
        "author.full_name": full_name,
        "author.school": author["school"],
        "author.city": author["city"],
        "author.state": author["state"],
        "author.grade": author["grade"],
        "date": date,
        "campaign.title": snapshot["campaign"]["title"],
        "personal_paragraph": snapshot["personal_paragraph"],
    }
    recommendations = [
        {
            "recommendation.text": item["text"],
            "recommendation.number": str(number),
            "recommendation.source": item["source"],
        }
        for number, item in enumerate(snapshot["recommendations"], start=1)
    ]
    place = ", ".join(part for part in (author["city"], author["state"]) if part)
    sender_lines = tuple(line for line in (full_name, author["school"], place) if line)
    pages = []
    for official in snapshot["recipients"]:
        context = {
            **base_context,
            "official.name": official["name"],
            "official.office": official["office"],
            "official.salutation": official["salutation"],
        }
        pages.append(
            RenderedPage(
                official_id=official.get("id"),
                sender_lines=sender_lines,
                date=date,
                recipient_lines=(
                    official["name"],
                    *(() if official.get("by_title") else (official["office"],)),
                    *(line.strip() for line in official["address"].splitlines() if line.strip()),
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
    return RenderedLetter(
        title=f"{snapshot['campaign']['title']}: a letter from {full_name}",
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


def letter_pdf(rendered: RenderedLetter) -> bytes:
    """The PDF of a rendered letter: the one path from rendering to pdf.py. The letter to each
    official is laid out on its own, so its pages count from 1 ("Page 2 of 3")."""
    documents = [letter_html(replace(rendered, pages=(page,))) for page in rendered.pages]
    return pdf.render_pdf(documents or letter_html(rendered), page_size=rendered.page_size)


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
