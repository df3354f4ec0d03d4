"""Factories for the objects tests need; seed data is loaded by its own tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from campaign.models import (
    Campaign,
    CampaignInvitation,
    CongressImport,
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
    Team,
    Term,
    ZipCodeArea,
)
from letters.models import (
    Batch,
    Delivery,
    Letter,
    LetterBand,
    LetterPdf,
    LetterRecommendation,
    LetterTemplate,
    StudentEmail,
)
from replies.models import Reply, ReplyAnswer, ReplyQuestion

TEMPLATE_BODY = """I am {{ author.full_name }}, a student at {{ author.school }} in {{ author.city }}, {{ author.state }}.

I am writing to you as {{ official.office }} about {{ campaign.title }}. I ask you to:

{% for recommendation in recommendations %}
{{ recommendation.text }}
{% endfor %}

{{ personal_paragraph }}

Thank you for reading my letter."""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Report number {n}")
    publisher = "Landmine Monitor"
    published_on = datetime.date(2022, 6, 21)
    kind = Source.Kind.STATEMENT


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    slug = factory.Sequence(lambda n: f"fact-{n}")
    statement = factory.Sequence(lambda n: f"Fact statement {n}.")
    quote = factory.Sequence(lambda n: f"Quoted words {n}.")
    source = factory.SubFactory(SourceFactory)
    as_of = datetime.date(2022, 6, 21)


class RecommendationListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationList

    slug = factory.Sequence(lambda n: f"list-{n}")
    title = factory.Sequence(lambda n: f"Recommendations {n}")
    source = factory.SubFactory(SourceFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    recommendation_list = factory.SubFactory(RecommendationListFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Recommendation text number {n}.")


class OfficialFactory(factory.django.DjangoModelFactory):
    """An office; with `name` (the default), a holder in office since 2021 and checked today.
    `name=None` makes an office nobody is known to hold."""

    class Meta:
        model = Official

    slug = factory.Sequence(lambda n: f"official-{n}")
    office = factory.Sequence(lambda n: f"Secretary of Department {n}")
    addressed_title = factory.LazyAttribute(lambda o: f"The {o.office}")
    salutation = factory.Sequence(lambda n: f"Dear Secretary Official{n}")
    postal_address = factory.Sequence(lambda n: f"{n} Constitution Avenue NW\nWashington, DC 20500")
    name = factory.Sequence(lambda n: f"Pat Official{n}")

    @classmethod
    def _create(cls, model_class, *args, name=None, **kwargs):
        official = super()._create(model_class, *args, **kwargs)
        if name:
            TermFactory(official=official, name=name, salutation=official.salutation)
        return official


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    official = factory.SubFactory(OfficialFactory, name=None)
    name = factory.Sequence(lambda n: f"Pat Holder{n}")
    salutation = factory.LazyAttribute(lambda t: f"Dear Secretary {t.name.split()[-1]}")
    starts_on = datetime.date(2021, 1, 20)
    verified_on = factory.LazyFunction(timezone.localdate)
    verification_source = "Checked by a test"
    record = Term.Record.ADMINISTRATOR


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: f"Campaign {n}")
    summary = "Ask the officials to ban landmines."
    status = Campaign.Status.OPEN
    starts_on = datetime.date(2026, 1, 1)
    letter_goal = 100


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    campaign = factory.SubFactory(CampaignFactory)
    subject = "About {{ campaign.title }}"
    body = TEMPLATE_BODY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    join_code = factory.Sequence(lambda n: f"TEAM{n:04d}")
    coordinator = factory.SubFactory(UserFactory)


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    template = factory.LazyAttribute(
        lambda letter: letter.campaign.templates.get(is_active=True, language="en")
    )
    first_name = "Maya"
    last_name = "Okafor"
    school = "Lincoln Middle School"
    city = "Morgantown"
    state = "West Virginia"
    personal_paragraph = "My cousin lost a leg to a landmine."

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create:
            self.recipients.set(extracted if extracted is not None else self.campaign.targets.all())


class CampaignInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignInvitation

    campaign = factory.SubFactory(CampaignFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@school.example")
    token = factory.Sequence(lambda n: f"invitation-token-{n:06d}")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class LetterRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterRecommendation

    letter = factory.SubFactory(LetterFactory)
    recommendation = factory.SubFactory(RecommendationFactory)
    position = factory.Sequence(lambda n: n + 1)


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    campaign = factory.SubFactory(CampaignFactory)
    method = Batch.Method.EMAIL
    letter_count = 1


class DeliveryFactory(factory.django.DjangoModelFactory):
    """One letter to one official in a batch, queued and due now (as `batch_start` writes it)."""

    class Meta:
        model = Delivery

    batch = factory.SubFactory(BatchFactory)
    letter = factory.SubFactory(LetterFactory, campaign=factory.SelfAttribute("..batch.campaign"))
    official = factory.SubFactory(OfficialFactory, delivery_email="office@agency.example")
    channel = Delivery.Channel.EMAIL
    to_email = factory.SelfAttribute("official.delivery_email")
    next_attempt_at = factory.LazyFunction(timezone.now)


class LetterPdfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterPdf

    letter = factory.SubFactory(LetterFactory)
    official = factory.SubFactory(OfficialFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.7 test", name="letter.pdf"))


class StudentEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentEmail

    letter = factory.SubFactory(LetterFactory, email="maya@example.org")
    kind = StudentEmail.Kind.PRIVATE_LINK
    next_attempt_at = factory.LazyFunction(timezone.now)


class LetterBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterBand

    letter = factory.SubFactory(LetterFactory)
    campaign = factory.SelfAttribute("letter.campaign")
    band = factory.Sequence(lambda n: n)


def approved_letters(campaign, count: int, *, team=None, email: str = "") -> list[Letter]:
    """`count` letters written, submitted and approved, as the review flow leaves them."""
    from letters import services

    items = list(campaign.default_recommendations.all()) or list(
        campaign.recommendation_lists.first().items.all()[:1]
    )
    letters = []
    for number in range(count):
        letter = LetterFactory(
            campaign=campaign,
            team=team,
            first_name=f"Student{number:04d}",
            last_name="Example",
            email=email,
            school=("Lincoln Middle School", "Eastwood High School", "Hill Academy")[number % 3],
        )
        for position, item in enumerate(items, start=1):
            letter.recommendation_choices.create(recommendation=item, position=position)
        services.letter_submit(letter=letter)
        letters.append(letter)
    services.letters_approve(letters=letters)
    return letters


def translate_campaign(campaign, language: str = "es", words=lambda text: f"ES {text}") -> None:
    """Give every text of `campaign` that has none in `language` the words `words(english)`:
    the campaign, its lists and their recommendations, facts, sources, offices and holders."""
    from modeltranslation.translator import translator

    lists = list(campaign.recommendation_lists.all())
    facts = list(campaign.facts.select_related("source"))
    offices = [*campaign.targets.all(), *campaign.cc.all()]
    objects = [
        campaign,
        *lists,
        *(item for rec_list in lists for item in rec_list.items.all()),
        *facts,
        *{
            source.pk: source
            for source in [f.source for f in facts] + [rec_list.source for rec_list in lists]
        }.values(),
        *offices,
        *(term for office in offices for term in office.terms.all()),
    ]
    for instance in objects:
        changed = False
        for field in translator.get_options_for_model(type(instance)).fields:
            english = getattr(instance, f"{field}_en")
            if english and not getattr(instance, f"{field}_{language}"):
                setattr(instance, f"{field}_{language}", words(english))
                changed = True
        if changed:
            instance.save()


class ReplyFactory(factory.django.DjangoModelFactory):
    """A reply from an official to the whole campaign, typed in (not public)."""

    class Meta:
        model = Reply

    campaign = factory.SubFactory(CampaignFactory)
    official = factory.SubFactory(OfficialFactory)
    received_on = datetime.date(2026, 3, 2)
    channel = Reply.Channel.LETTER
    scope = Reply.Scope.CAMPAIGN
    text = "Thank you for your letters."


class ReplyAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyAnswer

    reply = factory.SubFactory(ReplyFactory)
    letter = factory.SubFactory(LetterFactory, campaign=factory.SelfAttribute("..reply.campaign"))


class ReplyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyQuestion

    letter = factory.SubFactory(LetterFactory, email="maya@example.org")
    asked_at = factory.LazyFunction(timezone.now)


class ZipCodeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZipCodeArea

    zip_code = factory.Sequence(lambda n: f"{n % 100000:05d}")
    state = "WA"
    district = 7


class CongressImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CongressImport

    snapshot_on = datetime.date(2026, 6, 15)
    source = "data/us-congress"
