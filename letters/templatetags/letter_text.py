"""Template filters for the letter's own text (templates/letters/_letter_pages.html)."""

import unicodedata

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

#: Bidirectional classes that can make text lay out other than left to right: right-to-left
#: letters, Arabic digits, and the explicit embeddings, overrides and isolates.
_BIDI = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


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


@register.filter(needs_autoescape=True)
def isolated(value, text=None, autoescape=True) -> SafeString:
    """A line of a letter (an address line, the signature, the cc line), escaped, in a `<bdi>` of
    its own direction (text_direction) when it holds right-to-left text or bidi controls, so an
    Arabic school name keeps its full stop at its end; as it is otherwise. `text`: the plain text
    to judge by, when `value` is markup made from it (lang_marked).

    The lines stand in left-to-right blocks (the templates set no `dir` above them), where a line
    with none of those characters lays out the same isolated or not; a `<bdi>` costs WeasyPrint an
    inline box with its own computed style: 9% of the instructions of a letter with ten such lines
    (callgrind)."""
    content = conditional_escape(value) if autoescape else SafeString(value)
    source = str(value if text is None else text)
    if not any(unicodedata.bidirectional(char) in _BIDI for char in source):
        return content
    return format_html('<bdi dir="{}">{}</bdi>', text_direction(source), content)
