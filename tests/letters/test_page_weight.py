"""The letter pages (preview and private link) weigh under 150 KB in production: what a browser
transfers, compressed as WhiteNoise serves it (gzip; WOFF2 fonts are compressed already). They
used to load two full TTF fonts, 1.15 MB, 89 % of the page."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from letters import services
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db

BUDGET = 150_000
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="/static/([^"]+)"')
FONT = re.compile(r'url\("\.\./([^"]+\.(?:woff2|woff|ttf|otf))"\)')


def transfer_size(html: str) -> dict[str, int]:
    """Bytes on the wire for the page and everything it loads from /static/."""
    sizes = {"page": len(gzip.compress(html.encode(), 9))}
    for name in ASSET.findall(html):
        content = open(finders.find(name), "rb").read()  # noqa: SIM115
        sizes[name] = len(gzip.compress(content, 9))
        if name.endswith(".css"):
            for font in FONT.findall(content.decode()):
                sizes[font] = len(open(finders.find(font), "rb").read())  # noqa: SIM115
    return sizes


@pytest.mark.parametrize("submitted", [False, True], ids=["preview", "private link"])
def test_a_letter_page_weighs_under_150_kb(client, campaign, submitted):
    letter = LetterFactory(campaign=campaign)
    if submitted:
        letter = services.letter_submit(letter=letter)
    html = client.get(reverse("letters:detail", args=[letter.token])).content.decode()
    sizes = transfer_size(html)
    assert not any(name.endswith(".ttf") for name in sizes), "pages use the WOFF2 subsets"
    total = sum(sizes.values())
    print(f"letter page ({'submitted' if submitted else 'draft'}): {total:,} bytes {sizes}")
    assert total < BUDGET, f"{total:,} bytes: {sizes}"
