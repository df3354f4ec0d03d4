"""Template filters for the letter's own text (templates/letters/_letter_pages.html)."""

import unicodedata

from django import template

register = template.Library()


@register.filter
def text_direction(text: str) -> str:
    """ "rtl" when the first strongly directional character of `text` is right-to-left (Arabic,
    Hebrew, ...), else "ltr": what HTML's dir="auto" decides (its first-strong rule), written out
    because WeasyPrint does not read dir="auto". Each block and address line of a letter gets its
    own direction, so an Arabic line in an English letter ends with its full stop on the left."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"
