"""Campaign content on the pages, in the page's language: a text not yet translated is shown in
English and marked so (`lang="en"`), and a translated quote says what it translates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from campaign.languages import CONTENT_LANGUAGE, text_in

register = template.Library()


def _language() -> str:
    return (get_language() or CONTENT_LANGUAGE)[:2]


@register.simple_tag
def content(instance, field: str) -> SafeString:
    """`field` of `instance` in the page's language; its English, marked, while it has none."""
    text, found = text_in(instance, field, _language())
    if found != _language():
        return format_html('<span lang="{}">{}</span>', found, text)
    return format_html("{}", text)


@register.simple_tag
def original(instance, field: str) -> SafeString:
    """For a quote shown translated: “Translation of: …” with the source's own words one
    click away. Nothing when the page shows the original."""
    language = _language()
    text, found = text_in(instance, field, language)
    if found == CONTENT_LANGUAGE or not text:
        return mark_safe("")
    source_words = getattr(instance, f"{field}_{CONTENT_LANGUAGE}") or ""
    return format_html(
        '<details class="translation-of small"><summary>{} <span lang="{}">“{}”</span>'
        '</summary><blockquote class="source-quote mb-0" lang="{}"><p class="mb-0">{}</p>'
        "</blockquote></details>",
        gettext("Translation of:"),
        CONTENT_LANGUAGE,
        Truncator(source_words).words(6),
        CONTENT_LANGUAGE,
        source_words,
    )


@register.simple_tag
def source_attribution(source) -> SafeString:
    """Who published a source, its title (its own words, in its own language) and its date."""
    language = _language()
    publisher, found = text_in(source, "publisher", language)
    publisher_html = (
        format_html('<span lang="{}">{}</span>', found, publisher)
        if found != language
        else format_html("{}", publisher)
    )
    if language == CONTENT_LANGUAGE:
        return format_html("{}, “{},” {}", publisher_html, source.title, source.published_display)
    return format_html(
        '{}, “<span lang="{}">{}</span>”, {}',
        publisher_html,
        CONTENT_LANGUAGE,
        source.title,
        source.published_display,
    )
