"""The parts of a letter written in another language than the letter, marked for readers."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from letters.template_language import runs_of

register = template.Library()


@register.filter
def lang_marked(text) -> SafeString:
    """`text`, escaped, with each part in another language in a `<span lang="…">` (a Spanish
    letter quoting a recommendation that has no Spanish words yet: `lang="en"`), so a screen
    reader reads it in its own language, in the page and in the tagged PDF."""
    return mark_safe(  # noqa: S308 - every part is escaped here
        "".join(
            format_html('<span lang="{}">{}</span>', language, part)
            if language
            else conditional_escape(part)
            for part, language in runs_of(text if isinstance(text, str) else str(text))
        )
    )
