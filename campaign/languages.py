"""Campaign content in the languages letters are written in (campaign/translation.py): a text in
a given language, and what a campaign would still show in English in a letter in another one."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

#: The language campaign content is written in first; every text has it.
CONTENT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def text_in(instance, field: str, language: str) -> tuple[str, str]:
    """(text, the language it is in): `field` of `instance` in `language`, or in English while
    it has none there."""
    text = getattr(instance, f"{field}_{language}", None)
    if text:
        return text, language
    return getattr(instance, f"{field}_{CONTENT_LANGUAGE}", None) or "", CONTENT_LANGUAGE


def is_missing(instance, field: str, language: str) -> bool:
    """The field has English words and none in `language`."""
    return bool(getattr(instance, f"{field}_{CONTENT_LANGUAGE}", None)) and not getattr(
        instance, f"{field}_{language}", None
    )


@dataclass(frozen=True)
class Missing:
    """A text a letter or page in another language would still show in English."""

    what: str  # e.g. “Recommendation 4 of “Recommendations for a New U.S. Landmine Policy””
    english: str  # the English words, shortened

    def __str__(self) -> str:
        return gettext("%(what)s: “%(english)s”") % {"what": self.what, "english": self.english}


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(90)


def missing_translations(
    campaign,
    language: str,
    *,
    day: datetime.date | None = None,
    recommendation_lists=None,
    facts=None,
    targets=None,
    cc=None,
) -> list[Missing]:
    """Every text of `campaign` a letter (and its pages) in `language` would still show in
    English: the campaign's words, its recommendation lists and recommendations, its facts and
    their sources, the offices written to or copied and the greeting of whoever holds them from
    `day` on. Relations not yet saved (a form being checked) can be given instead."""
    if language == CONTENT_LANGUAGE:
        return []
    day = day or timezone.localdate()
    if recommendation_lists is None:
        recommendation_lists = campaign.recommendation_lists.all() if campaign.pk else []
    if facts is None:
        facts = campaign.facts.all() if campaign.pk else []
    if targets is None:
        targets = campaign.targets.all() if campaign.pk else []
    if cc is None:
        cc = campaign.cc.all() if campaign.pk else []
    missing: list[Missing] = []
    # The names of what is missing are in the language of the page that shows them.
    labels = {
        "title": gettext("The campaign's title"),
        "summary": gettext("The campaign's summary"),
        "guidance": gettext("The writing help"),
        "sample_paragraph": gettext("The sample paragraph"),
    }

    def check(instance, field: str, what: str) -> None:
        if is_missing(instance, field, language):
            missing.append(Missing(what, _short(getattr(instance, f"{field}_{CONTENT_LANGUAGE}"))))

    for field, what in labels.items():
        check(campaign, field, what)
    sources = {}
    for recommendation_list in recommendation_lists:
        name = _short(recommendation_list.title_en)
        check(recommendation_list, "title", gettext("The title of a recommendation list"))
        check(
            recommendation_list,
            "introduction",
            gettext("The introduction of “%(list)s”") % {"list": name},
        )
        sources[recommendation_list.source_id] = recommendation_list.source
        for item in recommendation_list.items.order_by("position"):
            what = gettext("Recommendation %(number)s of “%(list)s”") % {
                "number": item.position,
                "list": name,
            }
            check(item, "text", what)
            check(item, "detail", gettext("%(what)s, its further words") % {"what": what})
            check(item, "status_note", gettext("%(what)s, why it is not offered") % {"what": what})
    for fact in facts:
        check(fact, "statement", gettext("A fact"))
        check(fact, "note", gettext("The note on a fact"))
        sources[fact.source_id] = fact.source
    for source in sources.values():
        check(source, "publisher", gettext("The publisher of a source"))
    for official in [*targets, *cc]:
        check(official, "office", gettext("An office"))
    for official in targets:
        office = _short(official.office_en)
        check(
            official, "addressed_title", gettext("How “%(office)s” is named") % {"office": office}
        )
        check(official, "salutation", gettext("How “%(office)s” is greeted") % {"office": office})
        for term in official.terms.all():
            if term.ends_on is None or term.ends_on >= day:
                check(
                    term,
                    "salutation",
                    gettext("How %(name)s is greeted as %(office)s")
                    % {"name": term.name, "office": office},
                )
    unique: list[Missing] = []
    for item in missing:
        if item not in unique:
            unique.append(item)
    return unique


def refusal(language: str, missing: list[Missing]) -> list[str]:
    """The message refusing letters in `language` while `missing` is not translated: a first
    line, then each text."""
    names = dict(settings.LANGUAGES)
    return [
        gettext(
            "Letters in %(language)s cannot be offered until these texts are written in "
            "%(language)s too; a letter would still show them in English:"
        )
        % {"language": gettext(str(names.get(language, language)))},
        *(str(item) for item in missing),
    ]
