"""Which campaign texts are kept in every language (django-modeltranslation).

Each registered field gets a column per language (`title_en`, `title_es`); `title` itself reads the
active language's text, or the English one while there is none. English is the content's own
language and required where the field is; a Spanish text is optional until a campaign offers
Spanish (campaign.languages.missing_translations lists what is still missing).

The history of these models is registered here, after their translations, and not with a
`HistoricalRecords()` on the model: a historical model copies the fields its model has when it is
made, and only now does the model have its `_en` and `_es` columns (django-simple-history's
documented way with modeltranslation). A historical record thus keeps every language.

Quotes stay in their source's words: a fact's `quote` and a source's `title` are not translated.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from campaign.models import (
    Campaign,
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
    Term,
)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("publisher", "description")
    required_languages = {"en": ("publisher",)}


@register(Fact)
class FactTranslation(TranslationOptions):
    fields = ("statement", "note")
    required_languages = {"en": ("statement",)}


@register(RecommendationList)
class RecommendationListTranslation(TranslationOptions):
    fields = ("title", "introduction")
    required_languages = {"en": ("title",)}


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("text", "detail", "status_note")
    required_languages = {"en": ("text",)}


@register(Official)
class OfficialTranslation(TranslationOptions):
    fields = ("office", "addressed_title", "salutation")
    required_languages = {"en": ("office", "addressed_title", "salutation")}


@register(Term)
class TermTranslation(TranslationOptions):
    fields = ("salutation",)
    required_languages = {"en": ("salutation",)}


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title", "summary", "guidance", "sample_paragraph")
    required_languages = {"en": ("title", "summary")}


for model in (Source, Fact, RecommendationList, Recommendation, Official, Term):
    simple_history.register(model)
simple_history.register(Campaign, excluded_fields=["updated_at"])
