"""The letter PDFs' own user-agent stylesheet (letters/assets/user-agent.css, WeasyPrint's cut down
to the elements the PDF templates use) lays every page out exactly as WeasyPrint's own sheet does:
the same pages, the same drawing on each, for letters (left to right and right to left, several
pages with a running header, several officials, a cc line) and a print pack's covers and labels."""

import hashlib
import re
from html.parser import HTMLParser

import pytest
import weasyprint

from letters import batches, documents, pdf, rendering, services
from letters.models import Batch
from tests.factories import LetterFactory
from tests.letters.helpers import pdf_reader

pytestmark = pytest.mark.django_db

USER_AGENT = (pdf.ASSETS_DIR / "user-agent.css").read_text(encoding="utf-8")
LETTER_CSS = (pdf.ASSETS_DIR / "letter.css").read_text(encoding="utf-8")
#: The elements the sheet's opening comment says it was cut down to.
ELEMENTS = set(re.search(r"\n   (html head title [a-z0-9 ]+)\.\n", USER_AGENT).group(1).split())


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.found: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.add(tag)


@pytest.fixture
def inputs(monkeypatch):
    """Every document the app gives pdf.render_pdf while the test runs: (HTML, page size)."""
    seen = []
    render = pdf.render_pdf

    def recording(html, *, page_size="letter"):
        seen.append(([html] if isinstance(html, str) else list(html), page_size))
        return render(html, page_size=page_size)

    monkeypatch.setattr(pdf, "render_pdf", recording)
    return seen


def pages(content: bytes) -> list[str]:
    """Each page's drawing (what it prints, and where), as a digest: a short message when two
    differ."""
    return [
        hashlib.sha256(page.get_contents().get_data()).hexdigest()[:16]
        for page in pdf_reader(content).pages
    ]


def with_weasyprints_own_sheet(monkeypatch, html: list[str], page_size: str) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "LetterHTML", weasyprint.HTML)
        return pdf.render_pdf(html, page_size=page_size)


def everything_the_app_prints(campaign, officials, recommendations, coordinator) -> None:
    """Letters of every shape, and a print pack of them (cover letters and labels)."""
    plain = LetterFactory(campaign=campaign, first_name="Maya", last_name="Okafor")
    plain.recipients.set(officials)
    long = LetterFactory(
        campaign=campaign,
        personal_paragraph="\n".join(f"Line {n} of what I want to say." for n in range(1, 49)),
    )
    long.recipients.set(officials[:1])
    other_scripts = LetterFactory(
        campaign=campaign,
        first_name="王小明",
        school="مدرسة النور.",
        personal_paragraph="هذه رسالة مهمة.\nשלום עולם.\nMixed English and عربي. 佐藤花子です。",
    )
    other_scripts.recipients.set(officials)
    for letter in (plain, long, other_scripts):
        for position, item in enumerate(recommendations, start=1):
            letter.recommendation_choices.create(recommendation=item, position=position)
        rendering.letter_pdf(rendering.render_letter(letter))
        services.letter_submit(letter=letter)
    services.letters_approve(letters=[plain, long, other_scripts])
    batch = batches.batch_start(campaign=campaign, method=Batch.Method.PRINT, user=coordinator)
    documents.build_print_pack(batch)


def test_every_page_is_laid_out_as_with_weasyprints_own_sheet(
    inputs, monkeypatch, campaign, officials, recommendations, coordinator
):
    everything_the_app_prints(campaign, officials, recommendations, coordinator)
    printed = list(inputs)  # (the renders below are recorded too)
    kinds = {
        "cover"
        if "<title>Cover letter to" in html[0]
        else "labels"
        if 'class="labels"' in html[0]
        else "letter"
        for html, _size in printed
    }
    assert kinds == {"letter", "cover", "labels"}  # all were printed, and are compared here
    longest = 0
    for html, page_size in printed:
        ours = pages(pdf.render_pdf(html, page_size=page_size))
        theirs = pages(with_weasyprints_own_sheet(monkeypatch, html, page_size))
        assert ours == theirs, html[0][:300]
        longest = max(longest, len(ours))
    assert longest >= 3  # the running header's pages were compared too


def test_a_different_sheet_would_be_caught(monkeypatch, campaign, officials):
    """The comparison above can fail: the same letter with no user-agent sheet at all prints
    differently (the page's <title> shows, lists lose their numbers)."""
    letter = LetterFactory(campaign=campaign)
    letter.recipients.set(officials)
    html = rendering.letter_documents(rendering.render_letter(letter))
    ours = pages(pdf.render_pdf(html))
    with monkeypatch.context() as patch:
        patch.setattr(pdf.LetterHTML, "_ua_stylesheets", lambda self, forms=False: [])
        bare = pages(pdf.render_pdf(html))
    assert ours != bare


def test_the_pdf_templates_use_only_the_elements_the_sheet_was_cut_down_to(
    inputs, campaign, officials, recommendations, coordinator
):
    everything_the_app_prints(campaign, officials, recommendations, coordinator)
    used = set().union(*(Tags(document).found for html, _size in inputs for document in html))
    assert "ol" in used and "address" in used and "h1" in used
    assert used <= ELEMENTS, sorted(used - ELEMENTS)
    # Each element named has a rule in the sheet, or none in WeasyPrint's either (inline).
    rules = re.sub(r"/\*.*?\*/", "", USER_AGENT, flags=re.DOTALL)
    for element in ELEMENTS - {"span", "bdi"}:
        assert re.search(rf"(^|[\s,(]){element}\b", rules, re.MULTILINE), element


def test_letter_css_fills_only_margin_boxes_the_sheet_gives_defaults_to():
    filled = set(re.findall(r"@((?:top|bottom|left|right)-[a-z-]+)", LETTER_CSS))
    given = set(re.findall(r"@((?:top|bottom|left|right)-[a-z-]+)", USER_AGENT))
    assert filled == given == {"top-left", "top-right"}
