"""A letter PDF that never fails its writer: every character printed or refused, inside the page,
set in pages a reader can handle (issue #15)."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import mark_safe
from fontTools.ttLib import TTFont

from letters import fonts, pdf, rendering
from letters.models import Letter
from tests.factories import LetterFactory
from tests.letters import pdf_inspect
from tests.letters.helpers import compose_data

FONTS_DIR = Path(fonts.FONTS_DIR)
POINTS_PER_CM = 72 / 2.54
#: letter.css: @page margin: 2cm 2.3cm 1.8cm 2.3cm.
SIDE_MARGIN = 2.3 * POINTS_PER_CM
TEXT_FIELDS = ["first_name", "last_name", "school", "city", "state", "personal_paragraph"]

SUPPORTED = {
    "Latin": "Zoë Łukasiewicz, Nguyễn Thị Ánh, Şahin Ğüç, Ștefan Țară, Ærøskøbing, façade",
    "Greek": "Ελένη Παπαδοπούλου, Ἀθῆναι",
    "Cyrillic": "Анна Петрова, Київ, Україна, Беларусь",
    "Arabic": "مريم الحسيني، مدرسة النور، جداً، پارسی، اردو کے",
    "Hebrew": "שָׁלוֹם, תל אביב",
    "Chinese (simplified)": "王小明，北京市第一中学，我们的学校",
    "Chinese (traditional)": "陳大文，臺北市立建國高級中學，國際學校",
    "Japanese": "佐藤花子、東京都立日比谷高等学校、ひらがな、カタカナ、ﾊﾝｶｸ",
    "Korean": "김민준, 서울특별시, 똠방각하, 햏",
    "Symbols": "✓ ★ → ≤ ≥ ∞ € £ ¥ № ❤ ☺",
}
REFUSED = {
    "😀": ["😀"],
    "Maya 👍🏽 🇺🇸": ["👍🏽", "🇺🇸"],
    "👨\u200d👩\u200d👧 family": ["👨\u200d👩\u200d👧"],
    "I ❤️ you": ["❤️"],
    "नमस्ते": ["न", "म", "स्ते"],
    "สวัสดี": ["ส", "วั", "ดี"],
    "ሰላም": ["ሰ", "ላ", "ም"],
    "a\ue000b": ["\ue000"],
    "a\u0378b": ["\u0378"],
}


# --- The fonts ------------------------------------------------------------------------------------


def test_every_bundled_font_is_in_the_stylesheet_and_the_readme_and_nothing_else_is():
    css = (pdf.ASSETS_DIR / "letter.css").read_text(encoding="utf-8")
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    in_css = set(re.findall(r'url\("fonts/([^"]+)"\)', css))
    files = {path.name for path in fonts.font_files()}
    assert in_css == files
    for name in files:
        assert f"`{name}`" in readme, name


def test_fonts_are_truetype_and_the_whole_set_stays_within_its_budget():
    total = 0
    for path in fonts.font_files():
        font = TTFont(path, lazy=True)
        assert "glyf" in font and "CFF " not in font, path.name  # TrueType outlines
        assert "fvar" not in font, path.name  # static, not variable
        total += path.stat().st_size
    assert total < 20 * 1024 * 1024, total
    assert not list(FONTS_DIR.glob("*.woff*")) and not list(FONTS_DIR.glob("*.otf"))


def test_the_cjk_face_holds_what_its_build_script_promises():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_cjk_font", Path(settings.BASE_DIR) / "scripts" / "build_cjk_font.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    font = TTFont(FONTS_DIR / "LetterCJKSerif-Regular.ttf", lazy=True)
    assert font["name"].getDebugName(1) == "Letter CJK Serif"  # renamed, as the OFL asks
    cmap = set(font.getBestCmap())
    wanted = script.characters()
    assert len(wanted - cmap) <= 5, sorted(map(hex, wanted - cmap))  # what the source lacks
    assert set(range(0xAC00, 0xD7A4)) <= cmap  # every Hangul syllable
    assert {0x20, 0xA0} <= cmap  # Pango prints spaces in the font of the text around them


# --- What prints, what is refused ---------------------------------------------------------------


@pytest.mark.parametrize("script", SUPPORTED)
def test_the_supported_scripts_print(script):
    assert fonts.unprintable_characters(SUPPORTED[script]) == []


@pytest.mark.parametrize("text", REFUSED)
def test_emoji_and_scripts_without_a_font_are_named_once_each(text):
    assert fonts.unprintable_characters(text) == REFUSED[text]


def test_a_character_typed_twice_is_named_once_and_invisible_ones_by_their_code():
    assert fonts.unprintable_characters("😀 a 😀 b 😀") == ["😀"]
    assert [fonts.shown(c) for c in fonts.unprintable_characters("x\ue000y")] == ["U+E000"]
    assert [fonts.shown(c) for c in fonts.unprintable_characters("😀")] == ["😀"]


def test_characters_that_show_nothing_need_no_glyph():
    # Joiners, direction marks, variation selectors, soft hyphen, tags: HarfBuzz hides them.
    assert fonts.unprintable_characters("a\u200db\u200ec\u200f\ufe00d\u00ade\U000e0041") == []


def test_printable_replaces_what_no_font_has_and_turns_other_spaces_into_plain_ones():
    assert fonts.printable("Maya 😀!") == "Maya \ufffd!"
    assert fonts.printable("日本\u3000語 10\u202f000 a\u2009b") == "日本 語 10\xa0000 a b"
    text = "Nothing to change here: Zoë, مريم, 王."
    assert fonts.printable(text) is text


def test_a_pdf_never_shows_a_character_no_font_has(caplog):
    """Text that did not come through the form (an administrator's, an old letter's) is printed
    with U+FFFD in place of what no font has, and the replacement is logged."""
    html = "<html lang='en'><body><p>Maya 😀 \u0378 नमस्ते done</p></body></html>"
    content = pdf.render_pdf(html)
    assert pdf_inspect.notdef_glyphs(content) == []
    text = "".join(pdf_inspect.poppler_pages(content))
    assert "Maya" in text and "done" in text and "\ufffd" in text
    assert "😀" not in text and "न" not in text
    assert any("replaced with U+FFFD" in r.getMessage() for r in caplog.records)
    assert pdf_inspect.font_names(content) <= {"Letter-Serif", "Letter-Fallback"}


def test_the_notdef_check_finds_an_empty_box_when_there_is_one():
    """The check the other tests rely on can fail: WeasyPrint given U+0378 (no font has it)
    without pdf.py's replacement prints it as .notdef, and the check sees it."""
    from weasyprint import HTML

    content = HTML(string="<p>a\u0378b</p>").write_pdf()
    assert pdf_inspect.notdef_glyphs(content) != []


# --- The form -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_form_refuses_emoji_and_an_unsupported_script_naming_them(
    client, campaign, student, recommendations, officials, field
):
    data = compose_data(student, recommendations[:1], officials, **{field: "Maya 😀 नमस्ते"})
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "😀, न, म, स्ते cannot be printed in a letter. Please remove them or write them another way."
        in page
    )
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_the_refusal_is_in_spanish_for_a_spanish_page(
    client, campaign, student, recommendations, officials
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    url = reverse("letters:compose", args=[campaign.slug])
    page = client.post(
        url, compose_data(student, recommendations[:1], officials, city="😀")
    ).content
    assert (
        "😀 no se puede imprimir en una carta. Quítalo o escríbelo de otra forma." in page.decode()
    )
    school = "Escuela " + "".join(chr(0x0915 + n) for n in range(10))  # ten Devanagari letters
    data = compose_data(student, recommendations[:1], officials, school=school)
    page = client.post(url, data).content.decode()
    assert "क, ख, ग, घ, ङ, च, छ, ज y 2 más no se pueden imprimir en una carta." in page
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_names_in_every_supported_script_are_accepted_and_printed(
    client, campaign, student, recommendations, officials
):
    names = {
        "first_name": "王小明",
        "last_name": "김민준",
        "school": "مدرسة النور",
        "city": "תל אביב",
        "state": "Ἀθῆναι",
        "personal_paragraph": "佐藤花子です。\nМы за мир.",
    }
    data = compose_data(student, recommendations[:1], officials, **names)
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    letter = Letter.objects.get()
    content = client.get(reverse("letters:pdf", args=[letter.token])).content
    assert pdf_inspect.notdef_glyphs(content) == []
    assert pdf_inspect.font_names(content) == {
        "Letter-Serif",
        "Letter-Serif-Bold",
        "Letter-CJK",
        "Letter-Arabic",
        "Letter-Hebrew",
    }
    text = "".join("".join(page.split()) for page in pdf_inspect.poppler_pages(content))
    for value in ("王小明", "김민준", "Ἀθῆναι", "佐藤花子です。", "Мызамир."):
        assert value in text


# --- Inside the page ----------------------------------------------------------------------------


def long_names_letter(campaign, **fields):
    values = {
        "first_name": "W" * 80,
        "last_name": "M" * 80,
        "school": "S" * 120,
        "city": "C" * 80,
        "state": "X" * 80,
        "personal_paragraph": "y" * 2000,
    }
    return LetterFactory(campaign=campaign, **{**values, **fields})


@pytest.mark.django_db
def test_the_longest_unbroken_words_the_form_takes_wrap_inside_the_text_column(campaign):
    letter = long_names_letter(campaign)
    content = rendering.letter_pdf(rendering.render_letter(letter))
    words = pdf_inspect.word_boxes(content)
    assert len({word.page for word in words}) >= 2
    for word in words:
        assert word.x_min >= SIDE_MARGIN - 1 and word.x_max <= word.page_width - SIDE_MARGIN + 1
        assert word.y_min >= 0 and word.y_max <= word.page_height, word
    # Every character is there: nothing cut off at the edge.
    text = "".join(word.text for word in words)
    for run in ("W" * 80, "M" * 80, "S" * 120, "C" * 80, "X" * 80):
        assert text.count(run[0]) >= 2 * len(run)


def test_preview_and_pdf_break_long_words_by_the_same_rule():
    css = (pdf.ASSETS_DIR / "letter.css").read_text(encoding="utf-8")
    preview = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"\nhtml \{[^}]*overflow-wrap: anywhere;", css)
    assert re.search(r"\.letter-preview \{[^}]*overflow-wrap: anywhere;", preview)


# --- Right to left inside left to right ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "html"),
    [
        ("Lincoln Middle School", "Lincoln Middle School"),
        ("1600 Pennsylvania Avenue NW", "1600 Pennsylvania Avenue NW"),
        ("<b>Ana</b> & Co", "&lt;b&gt;Ana&lt;/b&gt; &amp; Co"),
        ("王小明", "王小明"),
        ("مدرسة النور.", '<bdi dir="rtl">مدرسة النور.</bdi>'),
        ("Lincoln مدرسة", '<bdi dir="ltr">Lincoln مدرسة</bdi>'),
        ("Room ١٢", '<bdi dir="ltr">Room ١٢</bdi>'),  # Arabic digits
        ("\u2067abc\u2069", '<bdi dir="ltr">\u2067abc\u2069</bdi>'),  # an isolate typed in
        ("שלום <עולם>", '<bdi dir="rtl">שלום &lt;עולם&gt;</bdi>'),
    ],
)
def test_a_line_is_isolated_only_when_it_holds_right_to_left_text(line, html):
    """A <bdi> only where it changes the layout: left-to-right lines print the same without one,
    for less work (letter_text.isolated); every line escaped either way."""
    assert (
        Template("{% load letter_text %}{{ line|isolated }}").render(Context({"line": line}))
        == html
    )


def test_a_marked_line_is_judged_by_its_text_and_not_escaped_twice():
    rendered = Template("{% load letter_text %}{{ marked|isolated:line }}").render(
        Context({"marked": mark_safe('<span lang="en">The White House</span>'), "line": "x"})
    )
    assert rendered == '<span lang="en">The White House</span>'
    rendered = Template("{% load letter_text %}{{ marked|isolated:line }}").render(
        Context({"marked": mark_safe('<span lang="ar">بيت</span>'), "line": "بيت"})
    )
    assert rendered == '<bdi dir="rtl"><span lang="ar">بيت</span></bdi>'


@pytest.mark.django_db
def test_right_to_left_lines_keep_their_full_stop_at_their_end(campaign):
    letter = LetterFactory(
        campaign=campaign,
        school="مدرسة النور.",
        personal_paragraph="هذه رسالة مهمة.\nשלום עולם.\nMixed English and عربي.",
    )
    html = rendering.letter_html(rendering.render_letter(letter))
    assert '<bdi dir="rtl">مدرسة النور.</bdi>' in html
    assert '<p class="letter-paragraph" dir="rtl">هذه رسالة مهمة.</p>' in html
    assert '<p class="letter-paragraph" dir="ltr">Mixed English and عربي.</p>' in html

    content = rendering.letter_pdf(rendering.render_letter(letter))
    lines = pdf_inspect.lines_of(pdf_inspect.word_boxes(content), page=1)

    def line_with(letters: str, which: int = -1) -> list:
        found = [line for line in lines if any(letters in w.text[::-1] for w in line)]
        assert len(found) >= 1, letters
        return found[which]

    # pdftotext gives a right-to-left word's letters in the order they stand on the page.
    for letters in ("رسالة", "עולם"):
        line = line_with(letters)
        assert line[0].text.startswith("."), [w.text for w in line]  # the stop on the left
        assert line[-1].x_max > line[0].page_width - SIDE_MARGIN - 2  # set to the right
    school = line_with("النور", 0)  # the sender's address, at the top
    assert school[0].x_min < SIDE_MARGIN + 1  # the address stays aligned left...
    assert school[0].text.startswith(".")  # ...its stop at the end of the Arabic


# --- Pages a reader can handle --------------------------------------------------------------------


def short_lines(count: int) -> str:
    return "\n".join(f"Line {number} of what I want to say." for number in range(1, count + 1))


@pytest.mark.django_db
def test_a_three_page_letter_has_a_running_header_on_pages_two_and_three(campaign, officials):
    letter = LetterFactory(
        campaign=campaign, first_name="Maya", last_name="Okafor", personal_paragraph=short_lines(48)
    )
    letter.recipients.set(officials)
    content = rendering.letter_pdf(rendering.render_letter(letter))
    pages = pdf_inspect.poppler_pages(content)
    assert len(pages) == 6  # three pages to each official, each letter counted on its own
    date = rendering.render_letter(letter).pages[0].date
    for first, official in ((0, "Joseph R. Biden"), (3, "Antony Blinken")):
        assert "Letter from" not in pages[first] and "Page 1" not in pages[first]
        for number in (2, 3):
            page = " ".join(pages[first + number - 1].split())
            assert page.startswith(f"Letter from Maya Okafor to {official}"), page[:200]
            assert f"{date} · Page {number} of 3" in page


@pytest.mark.django_db
def test_the_running_header_is_in_the_language_of_the_letter(campaign):
    from letters.models import LetterTemplate

    LetterTemplate.objects.filter(campaign=campaign).update(language="es")
    letter = LetterFactory(
        campaign=campaign, template=campaign.templates.get(), personal_paragraph=short_lines(30)
    )
    pages = pdf_inspect.poppler_pages(rendering.letter_pdf(rendering.render_letter(letter)))
    page = " ".join(pages[1].split())
    assert page.startswith(f"Carta de {letter.full_name} · Para: Joseph R. Biden")
    assert "· Página 2 de 2" in page


def the_end(page_texts: list[str], signature: str) -> dict[str, list[int]]:
    """On which pages the end of the letter stands."""
    where = defaultdict(list)
    for number, text in enumerate(page_texts, start=1):
        lines = [line.strip() for line in text.splitlines()]
        for key, line in (
            ("last paragraph", "Thank you for reading my letter."),
            ("closing", "Sincerely,"),
            ("signature", signature),
        ):
            if line in lines:
                where[key].append(number)
        if any(line.startswith("cc: ") for line in lines):
            where["cc"].append(number)
    return where


@pytest.mark.django_db
def test_the_closing_name_and_cc_line_are_never_alone_on_a_page(campaign, officials):
    """The page break is moved one line at a time through the end of the letter: wherever it
    falls, the closing, the name and the cc line share a page with the last paragraph."""
    campaign.cc.set([officials[1]])
    page_counts = set()
    for count in range(8, 24):
        for long_line in (False, True):
            paragraph = short_lines(count) + ("\n" + "A longer line. " * 12 if long_line else "")
            letter = LetterFactory(
                campaign=campaign, first_name="Ana", last_name="Ruiz", personal_paragraph=paragraph
            )
            rendered = rendering.render_letter(letter, official_id=officials[0].pk)
            pages = pdf_inspect.poppler_pages(rendering.letter_pdf(rendered))
            page_counts.add(len(pages))
            where = the_end(pages, "Ana Ruiz")
            assert where["last paragraph"] == where["closing"] == [len(pages)], (count, where)
            assert where["signature"][-1] == where["cc"][-1] == len(pages), (count, where)
    assert page_counts == {1, 2}  # the sweep went through the end of the first page


WORD = re.compile(r"w\d{3}")


@pytest.mark.django_db
def test_a_paragraph_split_between_pages_leaves_no_widow_or_orphan_line(campaign, officials):
    """A long paragraph is moved down one short line at a time, so the page break walks through
    it from its last lines to its first: no page holds fewer than three of its lines."""
    long_paragraph = " ".join(f"w{number:03d}" for number in range(1, 330))
    splits = []
    for count in range(0, 18):
        letter = LetterFactory(
            campaign=campaign, personal_paragraph=short_lines(count) + "\n" + long_paragraph
        )
        rendered = rendering.render_letter(letter, official_id=officials[0].pk)
        lines_per_page = defaultdict(set)
        for word in pdf_inspect.word_boxes(rendering.letter_pdf(rendered)):
            if WORD.fullmatch(word.text):
                lines_per_page[word.page].add(round(word.y_max))
        counts = [len(lines_per_page[page]) for page in sorted(lines_per_page)]
        if len(counts) > 1:
            assert min(counts) >= 3, (count, counts)  # orphans: 3; widows: 3
            splits.append(counts)
    # The walk reached both ends of the paragraph: a few lines left behind, a few carried over.
    assert any(counts[0] <= 4 for counts in splits), splits
    assert any(counts[-1] <= 4 for counts in splits), splits
