"""The seed campaigns, loaded from fixtures/seed.json (taken from ../shared/seeds/)."""

import datetime

import pytest
from django.core.management import call_command

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
from letters.template_language import validate

pytestmark = pytest.mark.django_db

# Items per list, counted in the source documents.
EXPECTED_LIST_SIZES = {
    "new-us-landmine-policy": 8,  # 000: "Recommendations for a New U.S. Landmine Policy"
    "first-100-days": 3,  # 001: "Urgent Recommendations for your First 100 Days"
    "ccm-you-could": 5,  # 002: Convention on Cluster Munitions, "You could:"
    "mbt-you-could": 4,  # 002: Mine Ban Treaty, "You could:"
    "mbt-state-commitments": 8,  # 002: "When they join the Mine Ban Treaty, states commit to:"
    "june-2022-calls": 3,  # 002: the calls of the June 21, 2022 statement
    "reconsider-ukraine-transfer": 1,  # 003: Amnesty's call to reconsider
    "june-2022-accession-call": 1,  # 002: the June 2022 statement's headline call
    "amnesty-call-on-all-governments": 2,  # 003: Amnesty's call on all governments
    "psalm-you-can-help": 7,  # 002 (student page): "YOU CAN HELP"
}
#: The holders the documents name, with their real terms (public record).
FORMER_HOLDERS = {
    "us-president": ("Joseph R. Biden", "2021-01-20"),
    "national-security-advisor": ("Jake Sullivan", "2021-01-20"),
    "secretary-of-defense": ("Lloyd Austin", "2021-01-22"),
    "secretary-of-state": ("Antony Blinken", "2021-01-26"),
}
ALL_MODELS = [Source, Fact, RecommendationList, Recommendation, Official, Campaign, LetterTemplate]


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def test_each_list_has_the_documents_count(seeded):
    sizes = {rl.slug: rl.items.count() for rl in RecommendationList.objects.all()}
    assert sizes == EXPECTED_LIST_SIZES


def test_list_items_keep_the_documents_order(seeded):
    items = RecommendationList.objects.get(slug="new-us-landmine-policy").items.order_by("position")
    texts = [item.text for item in items]
    assert texts[0].startswith("Consult with civil society and victim advocates")
    assert texts[-1].startswith("Lay out an accelerated timeline for the destruction")


def test_six_sources_from_five_documents(seeded):
    # Document 002 holds two pieces: the June 2022 statement and an undated student page.
    assert Source.objects.count() == 6
    page = Source.objects.get(slug="psalm-wvcbl-student-page")
    assert page.published_on is None and page.published_display == "undated"
    assert set(Source.objects.values_list("kind", flat=True)) <= set(Source.Kind.values)


def test_every_recommendation_and_fact_has_a_source_and_a_quote(seeded):
    assert Fact.objects.count() >= 25
    assert not Fact.objects.filter(source__isnull=True).exists()
    assert not Fact.objects.filter(quote="").exists()
    undated = Fact.objects.filter(as_of__isnull=True)
    assert set(undated.values_list("source__published_precision", flat=True)) <= {"unknown"}
    for item in Recommendation.objects.select_related("recommendation_list__source"):
        assert item.source is not None and item.text


def test_facts_quote_their_source_document_word_for_word(seeded):
    """Quotes are checked against the documents in ../shared/seeds/ when they are present."""
    from django.conf import settings

    seeds = settings.BASE_DIR.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("../shared/seeds/ is not beside this checkout")

    def letters_only(text: str) -> str:
        # White space differs where the documents were wrapped (001 breaks lines mid-word).
        return "".join(text.split())

    documents = letters_only(" ".join(p.read_text(encoding="utf-8") for p in seeds.glob("0*.txt")))
    quoted = [(f.slug, f.quote) for f in Fact.objects.all()]
    quoted += [(f"item {r.pk}", r.text) for r in Recommendation.objects.all()]
    quoted += [(f"detail {r.pk}", r.detail) for r in Recommendation.objects.exclude(detail="")]
    assert [slug for slug, quote in quoted if letters_only(quote) not in documents] == []


def test_the_documents_holders_have_their_real_terms_and_no_later_holder(seeded):
    assert Official.objects.count() == 5
    for slug, (name, starts_on) in FORMER_HOLDERS.items():
        (term,) = Term.objects.filter(official__slug=slug)
        assert (term.name, term.starts_on.isoformat()) == (name, starts_on)
        assert term.ends_on == datetime.date(2025, 1, 20)
        assert term.record == Term.Record.PUBLIC_RECORD
    ambassador = Term.objects.get(name="Linda Thomas-Greenfield")
    assert (ambassador.starts_on, ambassador.ends_on) == (
        datetime.date(2021, 2, 24),
        datetime.date(2025, 1, 20),
    )


def test_every_fact_is_dated_no_later_and_no_finer_than_its_source(seeded):
    rank = {"unknown": 0, "year": 1, "month": 2, "day": 3}
    for fact in Fact.objects.select_related("source"):
        source = fact.source
        if source.published_on is None:
            assert fact.as_of is None and fact.as_of_precision == "unknown", fact.slug
            continue
        assert fact.as_of is not None, fact.slug
        assert rank[fact.as_of_precision] <= rank[source.published_precision], fact.slug
        if source.published_precision == "day":
            assert fact.as_of <= source.published_on, fact.slug
        elif source.published_precision == "month":
            assert (fact.as_of.year, fact.as_of.month) <= (
                source.published_on.year,
                source.published_on.month,
            ), fact.slug
        else:
            assert fact.as_of.year <= source.published_on.year, fact.slug


def test_defaults_are_asks_a_student_can_make_today(seeded):
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
        assert all(item.is_current for item in campaign.default_recommendations.all())


def test_campaigns_are_ready_for_letters(seeded):
    campaigns = Campaign.objects.all()
    assert campaigns.filter(status=Campaign.Status.OPEN).count() >= 4
    past = campaigns.filter(status=Campaign.Status.CLOSED)
    assert set(past.values_list("slug", flat=True)) == {
        "first-100-days",
        "reconsider-mine-transfers",
    }
    assert all(campaign.ends_on < datetime.date(2025, 2, 1) for campaign in past)
    for campaign in campaigns:
        assert campaign.targets.exists() or campaign.congress_members
        assert campaign.letter_goal > 0
        assert campaign.recommendation_lists.exists()
        assert set(
            campaign.templates.filter(is_active=True).values_list("language", flat=True)
        ) == {"en", "es"}
        for template in campaign.templates.all():
            validate(template.body)
            validate(template.subject)
            validate(template.greeting)
    used = set(
        RecommendationList.objects.filter(campaigns__isnull=False).values_list("slug", flat=True)
    )
    assert used == set(EXPECTED_LIST_SIZES)


def test_loading_twice_changes_nothing(seeded):
    before = counts()
    first_ids = sorted(Recommendation.objects.values_list("pk", flat=True))
    call_command("load_seed", verbosity=0)
    assert counts() == before
    assert sorted(Recommendation.objects.values_list("pk", flat=True)) == first_ids


def test_reload_keeps_an_administrators_edit_unless_asked(seeded):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    campaign.letter_goal = 42
    campaign.save()
    call_command("load_seed", verbosity=0)
    campaign.refresh_from_db()
    assert campaign.letter_goal == 42
    call_command("load_seed", "--update", verbosity=0)
    campaign.refresh_from_db()
    assert campaign.letter_goal != 42
