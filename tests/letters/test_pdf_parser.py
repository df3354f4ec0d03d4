"""pdf.parse_html reads the PDF templates' markup with the standard library's XML parser instead of
WeasyPrint's HTML parser (tinyhtml5), and every page comes out the same: letters of every shape
and a print pack's covers and labels, student text that looks like markup, and a document that is
not well-formed XML (read by tinyhtml5, as before). And each line of an address, separated from
the next by a line feed (no <br>), prints on a line of its own."""

import logging

import pytest
import tinyhtml5
import weasyprint

from letters import pdf, rendering
from tests.factories import LetterFactory
from tests.letters.helpers import pdf_text, squash
from tests.letters.test_pdf_user_agent import everything_the_app_prints, inputs, pages

pytestmark = pytest.mark.django_db

__all__ = ["inputs"]  # the fixture, imported for the tests below


def with_weasyprints_parser(monkeypatch, html: list[str], page_size: str = "letter") -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(
            pdf,
            "parse_html",
            lambda document: tinyhtml5.parse(document, namespace_html_elements=False),
        )
        return pdf.render_pdf(html, page_size=page_size)


def test_every_page_is_laid_out_as_with_weasyprints_parser(
    inputs, monkeypatch, caplog, campaign, officials, recommendations, coordinator
):
    caplog.set_level(logging.DEBUG, logger="letters.pdf")
    everything_the_app_prints(campaign, officials, recommendations, coordinator)
    printed = list(inputs)
    assert len(printed) >= 5  # three letters, their covers and the labels
    # Every document the app printed was read by the XML parser, none by the fallback.
    assert "not well-formed" not in caplog.text
    for html, page_size in printed:
        ours = pages(pdf.render_pdf(html, page_size=page_size))
        theirs = pages(with_weasyprints_parser(monkeypatch, html, page_size))
        assert ours == theirs, html[0][:300]


MARKUP_LIKE = (
    'Line one <br> </p><p class="x">not a paragraph</p> & &amp; &nbsp; ]]> <!-- no comment --> '
    "<![CDATA[ kept ]]> {{ template }} {% tag %} <script>alert(1)</script> \"quoted\" 'single' "
    '<!DOCTYPE x [<!ENTITY big "boom">]> &big; <?xml version="1.0"?> <br/>'
)


def test_student_text_that_looks_like_markup_prints_as_typed(monkeypatch, campaign, officials):
    letter = LetterFactory(
        campaign=campaign, personal_paragraph=MARKUP_LIKE, first_name="<b>Ana</b> & Co"
    )
    letter.recipients.set(officials[:1])
    html = rendering.letter_documents(rendering.render_letter(letter))
    content = pdf.render_pdf(html)
    text = squash(pdf_text(content))
    # (without white space: a line may break inside "<!DOCTYPE")
    assert "".join(MARKUP_LIKE.split()) in "".join(text.split())
    assert "<b>Ana</b> & Co" in text
    assert pages(content) == pages(with_weasyprints_parser(monkeypatch, html))


def test_each_line_of_an_address_prints_on_a_line_of_its_own(campaign, officials):
    letter = LetterFactory(
        campaign=campaign, first_name="Ana", last_name="Díaz", school="Escuela Uno", city="Reno"
    )
    letter.recipients.set(officials[:1])
    rendered = rendering.render_letter(letter)
    (page,) = rendered.pages
    assert len(page.sender_lines) == 3 and len(page.recipient_lines) >= 3
    lines = [line.strip() for line in pdf_text(rendering.letter_pdf(rendered)).splitlines()]
    assert lines[:3] == list(page.sender_lines)
    first = lines.index(page.recipient_lines[0])
    assert lines[first : first + len(page.recipient_lines)] == list(page.recipient_lines)


def test_a_document_that_is_not_well_formed_xml_is_read_by_the_html_parser(monkeypatch, caplog):
    caplog.set_level(logging.DEBUG, logger="letters.pdf")
    document = (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Odd</title></head>"
        "<body><p>Caf&eacute;&nbsp;au lait<ol reversed><li>two<li>one</ol></body></html>"
    )
    content = pdf.render_pdf(document)
    assert "not well-formed" in caplog.text
    assert "Café\xa0au lait" in pdf_text(content)  # &nbsp; read as HTML reads it
    assert pages(content) == pages(with_weasyprints_parser(monkeypatch, [document]))


def test_a_different_parse_would_be_caught(monkeypatch, campaign, officials):
    """The comparisons above can fail: a tree whose addresses lost their line breaks prints
    differently."""
    letter = LetterFactory(campaign=campaign)
    letter.recipients.set(officials[:1])
    html = rendering.letter_documents(rendering.render_letter(letter))
    ours = pages(pdf.render_pdf(html))
    parse = pdf.parse_html
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "parse_html", lambda document: parse(document.replace("&#10;", " ")))
        assert pages(pdf.render_pdf(html)) != ours


def test_letter_html_sets_what_weasyprints_html_sets():
    """LetterHTML replaces WeasyPrint's HTML.__init__: both give the document the same
    attributes, so a WeasyPrint whose __init__ sets another fails here."""
    document = (
        "<!DOCTYPE html><html lang='en'><head><title>T</title></head><body><p>x</p></body></html>"
    )
    fetcher = pdf.AssetFetcher()
    ours = pdf.LetterHTML(string=document, base_url=fetcher.base_url, url_fetcher=fetcher)
    theirs = weasyprint.HTML(string=document, base_url=fetcher.base_url, url_fetcher=fetcher)
    assert set(vars(ours)) == set(vars(theirs))
    assert (ours.base_url, ours.media_type, ours.url_fetcher) == (
        theirs.base_url,
        theirs.media_type,
        theirs.url_fetcher,
    )
    assert ours.etree_element.tag == theirs.etree_element.tag == "html"
