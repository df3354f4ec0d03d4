"""Load the seed campaigns (fixtures/seed.json, taken from ../shared/seeds/) into the database.

Idempotent: rows are found by their slug (recommendations by list and position); a second run
creates nothing new. Rows that exist are left as they are, so an administrator's edits survive
`make run`, unless `update=True` asks to bring them back to the file's content.

Texts are in English, with their Spanish beside them under the same key and `_es`
("title" and "title_es"): they fill the two columns of each translated field
(campaign/translation.py). A text the file has no Spanish for is left empty in Spanish.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from campaign.models import (
    Campaign,
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
    Term,
)
from letters.models import LetterTemplate

SEED_FILE = settings.BASE_DIR / "fixtures" / "seed.json"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    def __str__(self) -> str:
        made = ", ".join(f"{n} {k}" for k, n in self.created.items()) or "nothing"
        text = f"Seed campaigns: created {made}."
        if self.updated:
            text += " Updated " + ", ".join(f"{n} {k}" for k, n in self.updated.items()) + "."
        return text


def _texts(item: dict, key: str, field: str | None = None) -> dict[str, str]:
    """The English and Spanish columns of a translated field, from `key` and `key_es`."""
    field = field or key
    return {f"{field}_en": item.get(key, ""), f"{field}_es": item.get(f"{key}_es", "")}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _upsert(model, lookup: dict, values: dict, *, update: bool, report: SeedReport, kind: str):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        report.count(kind, True, False)
        return instance, True
    if update:
        changed = any(getattr(instance, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(instance, name, value)
            instance.full_clean()
            instance.save()
        report.count(kind, False, changed)
    return instance, False


@transaction.atomic
def load_seed(path: Path = SEED_FILE, *, update: bool = False) -> SeedReport:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    report = SeedReport()
    sources = {}
    for item in data["sources"]:
        sources[item["slug"]], _ = _upsert(
            Source,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                **_texts(item, "publisher"),
                "published_on": _date(item.get("published_on")),
                "published_precision": item["published_precision"],
                "kind": item["kind"],
                "url": item.get("url", ""),
                **_texts(item, "description"),
            },
            update=update,
            report=report,
            kind="sources",
        )
    facts = {}
    for item in data["facts"]:
        facts[item["slug"]], _ = _upsert(
            Fact,
            {"slug": item["slug"]},
            {
                **_texts(item, "statement"),
                "quote": item["quote"],
                "source": sources[item["source"]],
                "as_of": _date(item.get("as_of")),
                "as_of_precision": item.get("as_of_precision", Source.Precision.DAY),
                **_texts(item, "note"),
                "topic": item.get("topic", ""),
            },
            update=update,
            report=report,
            kind="facts",
        )
    lists, items = {}, {}
    for item in data["recommendation_lists"]:
        recommendation_list, _ = _upsert(
            RecommendationList,
            {"slug": item["slug"]},
            {
                **_texts(item, "title"),
                "source": sources[item["source"]],
                **_texts(item, "introduction"),
            },
            update=update,
            report=report,
            kind="recommendation lists",
        )
        lists[item["slug"]] = recommendation_list
        for position, entry in enumerate(item["items"], start=1):
            items[(item["slug"], position)], _ = _upsert(
                Recommendation,
                {"recommendation_list": recommendation_list, "position": position},
                {
                    **_texts(entry, "text"),
                    **_texts(entry, "detail"),
                    "status": entry.get("status", Recommendation.Status.CURRENT),
                    **_texts(entry, "status_note"),
                },
                update=update,
                report=report,
                kind="recommendations",
            )
    officials = {}
    for item in data["offices"]:
        official, _ = _upsert(
            Official,
            {"slug": item["slug"]},
            {
                **_texts(item, "title", "office"),
                **_texts(item, "addressed_title"),
                **_texts(item, "salutation"),
                "postal_address": item["postal_address"],
                "delivery_email": item.get("delivery_email", ""),
            },
            update=update,
            report=report,
            kind="offices",
        )
        officials[item["slug"]] = official
        for holder in item.get("holders", []):
            _upsert(
                Term,
                {
                    "official": official,
                    "name": holder["name"],
                    "starts_on": _date(holder["starts_on"]),
                },
                {
                    **_texts(holder, "salutation"),
                    "ends_on": _date(holder.get("ends_on")),
                    "verified_on": _date(holder["verified_on"]),
                    "verification_source": holder["verification_source"],
                    "record": holder.get("record", Term.Record.PUBLIC_RECORD),
                },
                update=update,
                report=report,
                kind="terms",
            )
    for item in data["campaigns"]:
        campaign, created = _upsert(
            Campaign,
            {"slug": item["slug"]},
            {
                **_texts(item, "title"),
                **_texts(item, "summary"),
                **_texts(item, "guidance"),
                **_texts(item, "sample_paragraph"),
                "status": item["status"],
                "starts_on": _date(item["starts_on"]),
                "ends_on": _date(item.get("ends_on")),
                "letter_goal": item["letter_goal"],
                "review_required": item["review_required"],
                "page_size": item.get("page_size", Campaign.PageSize.LETTER),
                "congress_members": item.get("congress_members", Campaign.CongressMembers.NONE),
            },
            update=update,
            report=report,
            kind="campaigns",
        )
        if created or update:
            campaign.targets.set([officials[slug] for slug in item["targets"]])
            campaign.cc.set([officials[slug] for slug in item.get("cc", [])])
            campaign.recommendation_lists.set(
                [lists[slug] for slug in item["recommendation_lists"]]
            )
            campaign.default_recommendations.set(
                [items[(slug, position)] for slug, position in item["default_recommendations"]]
            )
            campaign.facts.set([facts[slug] for slug in item["facts"]])
        for template in item["templates"]:
            _seed_template(campaign, template, update=update, report=report)
    return report


def _seed_template(campaign: Campaign, template: dict, *, update: bool, report: SeedReport) -> None:
    """The campaign's template in that language. With `update`, changed words become the next
    version and the active one; letters already written keep their own copy of the words."""
    language = template.get("language", "en")
    words = {
        "subject": template["subject"],
        "body": template["body"],
        "closing": template.get("closing", "Sincerely"),
        "greeting": template.get("greeting", "{{ official.salutation }},"),
    }
    existing = campaign.templates.filter(language=language)
    active = existing.filter(is_active=True).first()
    if active is None and not existing.exists():
        LetterTemplate.objects.create(
            campaign=campaign, language=language, version=1, is_active=True, **words
        )
        report.count("letter templates", True, False)
    elif update and (active is None or any(getattr(active, k) != v for k, v in words.items())):
        highest = existing.order_by("-version").values_list("version", flat=True).first()
        existing.update(is_active=False)
        LetterTemplate.objects.create(
            campaign=campaign, language=language, version=highest + 1, is_active=True, **words
        )
        report.count("letter templates", False, True)
