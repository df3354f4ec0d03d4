"""The PDFs the app keeps: a final letter to each official, and a batch's print pack.

pdf.py turns HTML into bytes; this module decides what is rendered and stores it. A final letter
is rendered once per official and reused by every email, retry and print pack.
"""

import io
from collections import Counter
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfWriter

from campaign.models import Official
from letters import pdf, rendering
from letters.models import Batch, Delivery, Letter, LetterPdf


def letter_pdf_for(letter: Letter, official: Official) -> bytes:
    """The PDF of `letter` to `official`: read from storage, or rendered once and stored."""
    stored = LetterPdf.objects.filter(letter=letter, official=official).first()
    if stored is not None:
        try:
            with stored.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            stored.delete()
    content = rendering.letter_pdf(rendering.render_letter(letter, official_id=official.pk))
    record = LetterPdf(letter=letter, official=official)
    record.file.save("letter.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another worker stored it first: keep theirs, drop ours.
        record.file.delete(save=False)
    return content


def delete_letter_files(letters: Iterable[Letter]) -> None:
    """Remove the stored PDFs of these letters (rows and files)."""
    for record in LetterPdf.objects.filter(letter__in=list(letters)):
        record.file.delete(save=False)
        record.delete()


def _tally(letters: list[Letter]) -> list[tuple[str, int]]:
    schools = Counter(
        (letter.snapshot or {}).get("author", {}).get("school", "") for letter in letters
    )
    return sorted(schools.items(), key=lambda item: (-item[1], item[0]))


def _addressee_lines(official: Official) -> list[str]:
    """The name lines of an address written today: the holder and the office, or the title."""
    addressee = official.addressee_on(timezone.localdate())
    return [addressee.name] if addressee.by_title else [addressee.name, official.office]


def _common_language(letters: list[Letter]) -> str:
    found = {letter.template.language for letter in letters}
    return found.pop() if len(found) == 1 else "en"


def _render(template: str, context: dict, page_size: str) -> bytes:
    return pdf.render_pdf(render_to_string(template, context), page_size=page_size)


def build_print_pack(batch: Batch) -> bytes:
    """One PDF for the batch's printed letters: for each official a cover letter with the tally,
    then that official's letters, each starting on a new page; last, a page of address labels."""
    campaign = batch.campaign
    deliveries = (
        batch.deliveries.filter(channel=Delivery.Channel.PRINT)
        .select_related("letter__template", "official")
        .order_by("official__office", "letter__last_name", "letter__pk")
    )
    by_official: dict[Official, list[Delivery]] = {}
    for delivery in deliveries:
        by_official.setdefault(delivery.official, []).append(delivery)
    writer = PdfWriter()
    for official, in_pack in by_official.items():
        letters = [delivery.letter for delivery in in_pack]
        # The cover is in the letters' language when they all share one (Spanish letters get a
        # Spanish cover); English otherwise.
        language = _common_language(letters)
        with translation.override(language):
            sender = (
                campaign.sender_name
                or (batch.created_by.get_full_name() if batch.created_by else "")
                or gettext("The campaign coordinators")
            )
            cover = _render(
                "letters/pack_cover.html",
                {
                    "language": language,
                    "campaign": campaign,
                    "official": official,
                    "addressee": official.addressee_on(timezone.localdate()),
                    "address_lines": official.postal_address.splitlines(),
                    "count": len(letters),
                    "tally": _tally(letters),
                    "sender": sender,
                    "date": rendering.format_date(timezone.localdate(), language),
                },
                campaign.page_size,
            )
        writer.append(io.BytesIO(cover))
        for delivery in in_pack:  # a cc office's copy is the letter as written to its addressee
            writer.append(io.BytesIO(letter_pdf_for(delivery.letter, delivery.written_to())))
    labels = _render(
        "letters/pack_labels.html",
        {
            "campaign": campaign,
            "labels": [
                [*_addressee_lines(official), *official.postal_address.splitlines()]
                for official in by_official
            ],
        },
        campaign.page_size,
    )
    writer.append(io.BytesIO(labels))
    writer.add_metadata({"/Title": f"Print pack: {campaign.title}, batch {batch.pk}"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
