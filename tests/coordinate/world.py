"""A small world with one person per role and other people's things beside theirs, for the
permission matrix test and the attacks of issue #12.

Every student's data is a marker that appears nowhere else, so a response can be searched for
the data it must not hold.
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaign.models import Campaign, Team
from coordinate.models import CoordinatorRequest
from coordinate.permissions import Role
from letters.models import Batch, Letter
from tests import factories


@dataclass
class Student:
    """One letter's personal data, as markers."""

    letter: Letter

    @property
    def markers(self) -> list[str]:
        letter = self.letter
        return [
            letter.first_name,
            letter.last_name,
            letter.school,
            letter.city,
            letter.email,
            letter.personal_paragraph,
        ]


@dataclass
class World:
    users: dict[Role, object]
    campaign: Campaign  # coordinated by the coordinator; one team of it by the team coordinator
    other_campaign: Campaign  # someone else's
    team: Team  # the team coordinator's, in `campaign`
    sibling_team: Team  # another team of `campaign`
    other_team: Team  # in `other_campaign`
    second_coordinator: object  # also coordinates `campaign` (can be removed)
    other_coordinator: object  # coordinates `other_campaign`
    # The letters: of the team (the student's own), of the campaign outside the team, a draft
    # in the team (never on a coordinator's page), and of the other campaign.
    team_letter: Student
    campaign_letter: Student
    draft_letter: Student
    other_letter: Student
    team_batch: Batch
    campaign_batch: Batch
    other_batch: Batch
    extra: dict = field(default_factory=dict)

    @property
    def students(self) -> list[Student]:
        return [self.team_letter, self.campaign_letter, self.draft_letter, self.other_letter]

    @property
    def tokens(self) -> list[str]:
        return [student.letter.token for student in self.students]


def _letter(campaign, marker: str, *, team=None, status=Letter.Status.SUBMITTED) -> Student:
    now = timezone.now()
    letter = factories.LetterFactory(
        campaign=campaign,
        team=team,
        first_name=f"Zora{marker}",
        last_name=f"Quill{marker}",
        school=f"{marker} Heights Academy",
        city=f"{marker}borough",
        state="Vermont",
        email=f"{marker.lower()}.student@example.net",
        personal_paragraph=f"My own words, marker {marker}, about the fields near my grandmother's.",
        status=status,
        submitted_at=None if status == Letter.Status.DRAFT else now,
    )
    items = list(campaign.recommendation_lists.first().items.all()[:1])
    for position, item in enumerate(items, start=1):
        letter.recommendation_choices.create(recommendation=item, position=position)
    return Student(letter)


def _batch(campaign, student: Student, official, *, team=None) -> Batch:
    batch = factories.BatchFactory(campaign=campaign, team=team, method=Batch.Method.PRINT)
    factories.DeliveryFactory(
        batch=batch, letter=student.letter, official=official, channel="print", to_email=""
    )
    batch.pack.save(f"pack-{batch.pk}.pdf", ContentFile(b"%PDF-1.7 pack"), save=True)
    return batch


def _open_campaign(slug: str, title: str, coordinator) -> Campaign:
    official = factories.OfficialFactory(
        slug=f"{slug}-office", delivery_email=f"office@{slug}.example"
    )
    campaign = factories.CampaignFactory(slug=slug, title=title, sender_email="")
    source = factories.SourceFactory()
    items = factories.RecommendationListFactory(source=source)
    factories.RecommendationFactory(recommendation_list=items, position=1)
    campaign.recommendation_lists.add(items)
    campaign.facts.add(factories.FactFactory(source=source))
    campaign.targets.add(official)
    campaign.coordinators.add(coordinator)
    factories.LetterTemplateFactory(campaign=campaign)
    return campaign


def build_world() -> World:
    users = {
        # The worst case of the issue: a coordinator with a staff account in "Coordinators".
        Role.COORDINATOR: factories.UserFactory(
            username="cora_coordinator", email="cora@school.example", is_staff=True
        ),
        Role.TEAM_COORDINATOR: factories.UserFactory(
            username="tad_team", email="tad@school.example"
        ),
        Role.CONTENT_EDITOR: factories.UserFactory(
            username="edie_editor", email="edie@example.org", is_staff=True
        ),
        Role.ADMINISTRATOR: factories.UserFactory(
            username="ada_admin", email="ada@example.org", is_staff=True, is_superuser=True
        ),
    }
    users[Role.COORDINATOR].groups.add(Group.objects.get(name="Coordinators"))
    users[Role.CONTENT_EDITOR].groups.add(Group.objects.get(name="Content editors"))
    second = factories.UserFactory(username="cleo_second", email="cleo@school.example")
    other_coordinator = factories.UserFactory(username="otto_other", email="otto@else.example")

    campaign = _open_campaign("roles-campaign", "Mine-free fields", users[Role.COORDINATOR])
    campaign.coordinators.add(second)
    other = _open_campaign("other-campaign", "Another school's campaign", other_coordinator)
    team = factories.TeamFactory(
        campaign=campaign, coordinator=users[Role.TEAM_COORDINATOR], name="Room 7"
    )
    sibling = factories.TeamFactory(campaign=campaign, coordinator=second, name="Room 9")
    other_team = factories.TeamFactory(campaign=other, coordinator=other_coordinator)

    team_letter = _letter(campaign, "Teamlet", team=team)
    campaign_letter = _letter(campaign, "Camplet")
    draft_letter = _letter(campaign, "Draftlet", team=team, status=Letter.Status.DRAFT)
    other_letter = _letter(other, "Otherlet", team=other_team)
    official = campaign.targets.get()
    world = World(
        users=users,
        campaign=campaign,
        other_campaign=other,
        team=team,
        sibling_team=sibling,
        other_team=other_team,
        second_coordinator=second,
        other_coordinator=other_coordinator,
        team_letter=team_letter,
        campaign_letter=campaign_letter,
        draft_letter=draft_letter,
        other_letter=other_letter,
        team_batch=_batch(campaign, team_letter, official, team=team),
        campaign_batch=_batch(campaign, campaign_letter, official),
        other_batch=_batch(other, other_letter, other.targets.get(), team=other_team),
    )
    # Rows of django-axes' admin, so every admin model has something to open.
    seen = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "x"}
    world.extra["axes"] = [
        AccessAttempt.objects.create(**seen, failures_since_start=1),
        AccessLog.objects.create(**seen),
        AccessFailureLog.objects.create(**seen),
    ]
    # A teacher's request and an administrator's second-factor devices (issue #19).
    world.extra["accounts"] = [
        CoordinatorRequest.objects.create(
            name="Tess Teacher", school="Hill Academy", email="tess@hill.example", reason="Civics"
        ),
        TOTPDevice.objects.create(user=users[Role.ADMINISTRATOR], name="phone"),
        StaticDevice.objects.create(user=users[Role.ADMINISTRATOR], name="Recovery codes"),
    ]
    return world


def form_data(html: str, form_id: str | None = None) -> dict:
    """What a browser would post from the page's form (the admin's change form): inputs with
    their values, ticked boxes, selected options, text areas. Lists for repeated names."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.select = None
            self.textarea = None
            self.inside = form_id is None
            self.text = ""

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "form" and form_id is not None:
                self.inside = attributes.get("id") == form_id
            if not self.inside:
                return
            name = attributes.get("name")
            if tag == "input" and name:
                kind = attributes.get("type", "text")
                if kind in ("submit", "button", "file", "image"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in attributes:
                    return
                default = "on" if kind in ("checkbox", "radio") else ""
                data.setdefault(name, []).append(attributes.get("value") or default)
            elif tag == "select" and name:
                self.select = name
                data.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in attributes:
                data[self.select].append(attributes.get("value", ""))
            elif tag == "textarea" and name:
                self.textarea, self.text = name, ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea" and self.textarea:
                data.setdefault(self.textarea, []).append(self.text.lstrip("\n"))
                self.textarea = None
            elif tag == "form" and form_id is not None:
                self.inside = False

        def handle_data(self, text):
            if self.textarea:
                self.text += text

    Parser().feed(html)
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}
