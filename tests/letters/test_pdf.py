"""The letter PDF: its text, its pages, its fonts and metadata."""

import pytest

from letters import rendering
from tests.factories import LetterFactory
from tests.letters.helpers import pdf_reader, pdf_text, squash

pytestmark = pytest.mark.django_db

POINTS_PER_INCH = 72


@pytest.fixture
def letter(campaign, recommendations):
    letter = LetterFactory(campaign=campaign, first_name="Zoë", last_name="Łukasiewicz")
    for position, item in enumerate([recommendations[2], recommendations[0]], start=1):
        letter.recommendation_choices.create(recommendation=item, position=position)
    return letter


def render(letter) -> bytes:
    return rendering.letter_pdf(rendering.render_letter(letter))


def test_one_page_section_per_official_each_addressed_to_them(letter, officials):
    reader = pdf_reader(render(letter))
    assert len(reader.pages) == 2
    first, second = (squash(page.extract_text()) for page in reader.pages)
    assert "Dear Mr. President," in first and "Dear Secretary Blinken," not in first
    assert "Dear Secretary Blinken," in second and "2201 C Street NW" in second
    assert "Zoë Łukasiewicz" in first  # accented Latin in the bundled font


def test_us_letter_by_default_and_a4_when_the_campaign_says(letter, campaign):
    box = pdf_reader(render(letter)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (8.5 * POINTS_PER_INCH, 11 * POINTS_PER_INCH)
    campaign.page_size = "A4"
    campaign.save()
    letter.refresh_from_db()
    box = pdf_reader(render(letter)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)


def test_metadata_language_and_structure_for_screen_readers(letter):
    reader = pdf_reader(render(letter))
    assert reader.metadata.title == "Ban landmines now: a letter from Zoë Łukasiewicz"
    assert reader.metadata.author == "Zoë Łukasiewicz"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root  # tagged PDF
    assert root["/MarkInfo"]["/Marked"]


def test_text_uses_the_bundled_fonts(letter):
    reader = pdf_reader(render(letter))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Letter-Serif" in name for name in fonts), fonts


def test_text_is_selectable_in_reading_order(letter, recommendations):
    text = squash(pdf_text(render(letter)))
    assert text.index(recommendations[2].text) < text.index(recommendations[0].text)
    assert recommendations[1].text not in text


def test_submitted_letter_keeps_its_words_when_the_template_changes(letter, campaign):
    from letters import services

    services.letter_submit(letter=letter)
    template = campaign.templates.get()
    template.body = "A completely different letter body."
    template.save()
    letter.refresh_from_db()
    text = squash(pdf_text(render(letter)))
    assert "A completely different letter body." not in text
    assert "Thank you for reading my letter." in text
