"""Whatever a student types, the page, the PDF and other people's data stay safe."""

import logging

import pytest
from django.urls import reverse
from django.utils.html import escape

from letters import pdf
from letters.models import Letter
from tests.letters.helpers import compose_data, pdf_reader, pdf_text, squash

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://169.254.169.254/">',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
]
TEXT_FIELDS = ["first_name", "last_name", "school", "city", "state", "personal_paragraph"]


def write_and_submit(client, campaign, data):
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.latest("pk")
    client.post(reverse("letters:submit", args=[letter.token]))
    return letter


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_literal_in_preview_and_pdf(
    client, campaign, student, recommendations, officials, field, hostile, caplog, settings
):
    data = compose_data(student, recommendations[:1], officials, **{field: hostile})
    letter = write_and_submit(client, campaign, data)

    page = client.get(reverse("letters:detail", args=[letter.token])).content.decode()
    preview = page.split('id="letter-preview"', 1)[1]
    if escape(hostile) != hostile:
        assert hostile not in preview  # never as markup...
    assert escape(hostile) in preview  # ...always as the text the student typed
    assert settings.SECRET_KEY not in page

    with caplog.at_level(logging.WARNING, logger="letters.pdf"):
        content = client.get(reverse("letters:pdf", args=[letter.token])).content
    text = squash(pdf_text(content))
    assert squash(hostile) in text
    assert settings.SECRET_KEY not in text
    reader = pdf_reader(content)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not reader.attachments
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()] == []


def test_the_refusal_log_would_show_a_fetch_outside_the_assets(caplog):
    """The check above can fail: markup that asks for a URL is refused and logged."""
    html = '<html><body><img src="http://169.254.169.254/"><p>x</p></body></html>'
    with caplog.at_level(logging.WARNING, logger="letters.pdf"):
        pdf.render_pdf(html)
    assert any("refused" in r.getMessage() for r in caplog.records)


WEIRD = {
    "ten_thousand": "x" * 10_000,
    "nul": "Maya\x00Okafor",
    "rtl": "\u202eevil\u202c مرحبا שלום",
    "bidi_isolates": "\u2066abc\u2069 \u2067def\u2069",
    "emoji": "Maya 😀👍🏽 🇺🇸",
    "accents": "Zoë Łódź Nguyễn Ăă Șș Ñandú",
    "zero_width": "Ma\u200bya\ufeff",
    "newlines": "line one\r\nline two\rline three",
}


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("kind", WEIRD)
def test_strange_text_gives_a_form_error_or_a_clean_pdf(
    client, campaign, student, recommendations, officials, field, kind
):
    data = compose_data(student, recommendations[:1], officials, **{field: WEIRD[kind]})
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code in (200, 302)
    if kind == "emoji":  # no letter prints emoji: the form names them (letters/fonts.py)
        assert "😀, 👍🏽, 🇺🇸 cannot be printed in a letter" in response.content.decode()
    if response.status_code == 200:
        assert "Please check" in response.content.decode()
        assert Letter.objects.count() == 0
        return
    letter = Letter.objects.get()
    assert client.post(reverse("letters:submit", args=[letter.token])).status_code == 302
    assert client.get(reverse("letters:detail", args=[letter.token])).status_code == 200
    content = client.get(reverse("letters:pdf", args=[letter.token])).content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "\u202e" not in text and "\u2066" not in text
    if kind == "accents":
        assert "Zoë Łódź Nguyễn" in squash(text)


@pytest.mark.parametrize("raw", [b"%ED%B3%BF", b"%FF%FE", b"%C0%AF", b"%F4%90%80%80"])
def test_invalid_utf8_is_replaced_not_a_500(
    client, campaign, student, recommendations, officials, raw
):
    from urllib.parse import urlencode

    data = compose_data(student, recommendations[:1], officials)
    body = urlencode({k: v for k, v in data.items() if k != "first_name"}, doseq=True).encode()
    body += b"&first_name=Maya" + raw
    response = client.post(
        reverse("letters:compose", args=[campaign.slug]),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Letter.objects.get().first_name.startswith("Maya")


def test_ten_thousand_characters_are_refused_with_the_limit(
    client, campaign, student, recommendations, officials
):
    data = compose_data(student, recommendations[:1], officials, personal_paragraph="a" * 10_000)
    page = client.post(reverse("letters:compose", args=[campaign.slug]), data).content.decode()
    assert "at most 2000 characters" in page


def test_two_thousand_characters_with_line_breaks_fit(
    client, campaign, student, recommendations, officials
):
    paragraph = ("a" * 98 + "\r\n") * 20  # 2,000 characters as the browser counts them
    data = compose_data(student, recommendations[:1], officials, personal_paragraph=paragraph)
    assert client.post(reverse("letters:compose", args=[campaign.slug]), data).status_code == 302


def test_nul_byte_is_a_clear_form_error(client, campaign, student, recommendations, officials):
    data = compose_data(student, recommendations[:1], officials, school="Lincoln\x00")
    page = client.post(reverse("letters:compose", args=[campaign.slug]), data).content.decode()
    assert "Null characters are not allowed." in page


@pytest.mark.parametrize("order", ["9" * 5000, "-1,abc,,", "١,٢", "0x10", " , ", "1" * 19, "%00"])
def test_nonsense_order_falls_back_to_list_order(
    client, campaign, student, recommendations, officials, order
):
    data = compose_data(student, recommendations[:2], officials, recommendation_order=order)
    assert client.post(reverse("letters:compose", args=[campaign.slug]), data).status_code == 302
    assert [r.pk for r in Letter.objects.get().ordered_recommendations()] == [
        r.pk for r in recommendations[:2]
    ]
