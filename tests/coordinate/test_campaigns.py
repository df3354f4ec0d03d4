"""Coordinators start, edit, open, close and share their own campaigns."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, CampaignInvitation
from coordinate import services
from letters.models import Batch, Letter
from tests.factories import CampaignFactory, UserFactory, approved_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)
    return Campaign.objects.get(slug="join-the-mine-ban-treaty")


@pytest.fixture
def teacher(client, coordinator):
    client.force_login(coordinator)
    return client


def edit_data(campaign: Campaign, **overrides) -> dict:
    data = {
        "title_en": campaign.title_en,
        "title_es": campaign.title_es or "",
        "summary_en": campaign.summary_en,
        "summary_es": campaign.summary_es or "",
        "guidance_en": campaign.guidance_en or "",
        "guidance_es": campaign.guidance_es or "",
        "sample_paragraph_en": campaign.sample_paragraph_en or "",
        "sample_paragraph_es": campaign.sample_paragraph_es or "",
        "status": campaign.status,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else "",
        "letter_goal": campaign.letter_goal,
        "paper_letters": campaign.paper_letters,
        "review_required": "on" if campaign.review_required else "",
        "sender_name": campaign.sender_name,
        "sender_email": campaign.sender_email,
        "targets": [o.pk for o in campaign.targets.all()],
        "congress_members": campaign.congress_members,
        "cc": [o.pk for o in campaign.cc.all()],
        "recommendation_lists": [r.pk for r in campaign.recommendation_lists.all()],
        "default_recommendations": [r.pk for r in campaign.default_recommendations.all()],
        "facts": [f.pk for f in campaign.facts.all()],
        "page_size": campaign.page_size,
        "template_from": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_copy_a_seed_campaign_and_change_it_leaves_the_original_alone(teacher, seeded, coordinator):
    before = {
        "goal": seeded.letter_goal,
        "defaults": sorted(seeded.default_recommendations.values_list("pk", flat=True)),
        "template": seeded.templates.get(is_active=True, language="en").body,
    }
    response = teacher.post(
        reverse("coordinate:new"),
        {"title": "Room 12 writes to the President", "start_from": seeded.pk},
    )
    copy = Campaign.objects.get(title="Room 12 writes to the President")
    assert response["Location"] == reverse("coordinate:edit", args=[copy.slug])
    assert copy.status == Campaign.Status.DRAFT
    assert list(copy.coordinators.all()) == [coordinator]
    assert set(copy.targets.all()) == set(seeded.targets.all())
    assert set(copy.facts.all()) == set(seeded.facts.all())
    assert copy.templates.get(is_active=True, language="en").body == before["template"]

    first_item = seeded.recommendation_lists.first().items.order_by("position").first()
    # The copy has the seed's Spanish letter: it opens once its new title is in Spanish too.
    changes = {"letter_goal": 30, "status": "open", "default_recommendations": [first_item.pk]}
    response = teacher.post(
        reverse("coordinate:edit", args=[copy.slug]), edit_data(copy, **changes)
    )
    assert response.status_code == 200
    assert "Room 12 writes to the President" in response.context["form"].errors["status"][1]
    response = teacher.post(
        reverse("coordinate:edit", args=[copy.slug]),
        edit_data(copy, title_es="La clase 12 escribe a la Presidencia", **changes),
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.letter_goal == 30 and copy.status == Campaign.Status.OPEN
    assert list(copy.default_recommendations.all()) == [first_item]

    seeded.refresh_from_db()
    assert seeded.letter_goal == before["goal"]
    assert sorted(seeded.default_recommendations.values_list("pk", flat=True)) == before["defaults"]
    assert seeded.coordinators.filter(pk=coordinator.pk).exists() is False


def test_a_campaign_without_targets_cannot_open(teacher, seeded):
    teacher.post(reverse("coordinate:new"), {"title": "From scratch", "start_from": ""})
    campaign = Campaign.objects.get(title="From scratch")
    page = teacher.get(reverse("coordinate:edit", args=[campaign.slug])).content.decode()
    assert "Choose at least one official" in page  # shown before trying
    response = teacher.post(
        reverse("coordinate:edit", args=[campaign.slug]), edit_data(campaign, status="open")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one official the letters go to before opening the campaign." in text
    assert "Choose a letter template before opening the campaign." in text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_scratch_campaign_opens_once_it_has_targets_lists_and_a_template(teacher, seeded):
    teacher.post(reverse("coordinate:new"), {"title": "From scratch", "start_from": ""})
    campaign = Campaign.objects.get(title="From scratch")
    data = edit_data(
        campaign,
        status="open",
        targets=[seeded.targets.first().pk],
        recommendation_lists=[seeded.recommendation_lists.first().pk],
        template_from=seeded.templates.get(is_active=True, language="en").pk,
    )
    assert teacher.post(reverse("coordinate:edit", args=[campaign.slug]), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert (
        campaign.templates.get(is_active=True, language="en").body
        == seeded.templates.get(is_active=True, language="en").body
    )


def test_end_before_start_is_refused(teacher, campaign):
    data = edit_data(campaign, ends_on="2025-01-01")
    page = teacher.post(reverse("coordinate:edit", args=[campaign.slug]), data).content.decode()
    assert "The campaign must end after it starts." in page


def test_defaults_must_come_from_the_chosen_lists(teacher, campaign, seeded):
    other = seeded.recommendation_lists.first().items.first()
    data = edit_data(campaign, default_recommendations=[other.pk])
    page = teacher.post(reverse("coordinate:edit", args=[campaign.slug]), data).content.decode()
    assert "Pre-check only recommendations from the chosen lists." in page


def test_a_closed_campaign_refuses_new_letters_and_still_sends_approved_ones(
    teacher, client, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    approved_letters(campaign, 2)
    teacher.post(
        reverse("coordinate:edit", args=[campaign.slug]), edit_data(campaign, status="closed")
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert "This campaign is closed" in page
    with django_capture_on_commit_callbacks(execute=True):
        teacher.post(reverse("coordinate:batches", args=[campaign.slug]), {"method": "print"})
    batch = Batch.objects.get()
    assert batch.letter_count == 2 and batch.pack
    teacher.post(
        reverse("coordinate:batch_steps", args=[batch.pk]), {"printed": "on", "mailed": "on"}
    )
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SENT}


def test_a_coordinator_cannot_open_or_edit_anothers_campaign(client, campaign, other_coordinator):
    client.force_login(other_coordinator)
    for name in ("coordinate:edit", "coordinate:coordinators"):
        assert client.get(reverse(name, args=[campaign.slug])).status_code == 404
    response = client.post(
        reverse("coordinate:edit", args=[campaign.slug]), edit_data(campaign, title_en="Hacked")
    )
    assert response.status_code == 404
    campaign.refresh_from_db()
    assert campaign.title != "Hacked"


def test_a_team_coordinator_cannot_edit_the_campaign(client, campaign, other_coordinator):
    from tests.factories import TeamFactory

    TeamFactory(campaign=campaign, coordinator=other_coordinator)
    client.force_login(other_coordinator)
    assert client.get(reverse("coordinate:campaign", args=[campaign.slug])).status_code == 200
    assert client.get(reverse("coordinate:edit", args=[campaign.slug])).status_code == 404


def test_an_invitation_gives_access(
    teacher, client, campaign, other_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        teacher.post(
            reverse("coordinate:coordinators", args=[campaign.slug]),
            {"email": "Olive_Other@Example.org"},
        )
    (message,) = mail.outbox
    invitation = CampaignInvitation.objects.get()
    assert message.to == ["olive_other@example.org"]
    assert f"/coordinate/invitation/{invitation.token}/" in message.body

    client.force_login(other_coordinator)
    url = reverse("coordinate:invitation", args=[invitation.token])
    assert campaign.title in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("coordinate:campaign", args=[campaign.slug])
    assert campaign.coordinators.filter(pk=other_coordinator.pk).exists()
    assert client.post(url).status_code == 410  # used once


def test_an_invitation_binds_to_the_invited_address(client, campaign, coordinator):
    """A forwarded or leaked link gives nobody else the campaign: only the account whose email
    address was invited may accept, and nobody else learns the campaign or the address."""
    invitation = services.campaign_invite(
        campaign=campaign, email="Invited.Teacher@School.example", invited_by=coordinator
    )
    url = reverse("coordinate:invitation", args=[invitation.token])
    stranger = UserFactory(username="stranger", email="stranger@example.org")
    client.force_login(stranger)
    page = client.get(url)
    assert page.status_code == 403
    text = page.content.decode()
    assert "This invitation is for someone else" in text
    assert campaign.title not in text and "invited.teacher" not in text.lower()
    assert client.post(url).status_code == 403
    assert not campaign.coordinators.filter(pk=stranger.pk).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None  # still there for the right person

    invited = UserFactory(username="invited", email="invited.teacher@school.example")
    client.force_login(invited)
    assert client.post(url)["Location"] == reverse("coordinate:campaign", args=[campaign.slug])
    assert campaign.coordinators.filter(pk=invited.pk).exists()


def test_an_account_without_an_email_cannot_accept(campaign, coordinator):
    invitation = services.campaign_invite(
        campaign=campaign, email="x@example.org", invited_by=coordinator
    )
    assert not services.invitation_is_for(invitation, UserFactory(username="no_email", email=""))
    with pytest.raises(services.InvitationForSomeoneElse):
        services.invitation_accept(token=invitation.token, user=coordinator)


def test_an_expired_invitation_does_not(client, campaign, coordinator, other_coordinator):
    invitation = services.campaign_invite(
        campaign=campaign, email="x@example.org", invited_by=coordinator
    )
    CampaignInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(other_coordinator)
    url = reverse("coordinate:invitation", args=[invitation.token])
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    assert not campaign.coordinators.filter(pk=other_coordinator.pk).exists()
    assert client.post(reverse("coordinate:invitation", args=["x" * 43])).status_code == 410


def test_the_last_coordinator_cannot_be_removed(teacher, campaign, coordinator):
    url = reverse("coordinate:coordinator_remove", args=[campaign.slug, coordinator.pk])
    response = teacher.post(url, {"confirmed": "yes"}, follow=True)
    assert "at least one coordinator" in response.content.decode()
    assert campaign.coordinators.filter(pk=coordinator.pk).exists()


def test_a_coordinator_can_be_removed_when_another_remains(teacher, campaign, coordinator):
    colleague = UserFactory(username="colleague")
    campaign.coordinators.add(colleague)
    url = reverse("coordinate:coordinator_remove", args=[campaign.slug, colleague.pk])
    assert "Remove colleague?" in teacher.post(url).content.decode()  # asks first
    assert campaign.coordinators.count() == 2
    teacher.post(url, {"confirmed": "yes"})
    assert list(campaign.coordinators.all()) == [coordinator]


def test_coordinators_cannot_edit_templates_or_content(teacher, campaign):
    template = campaign.templates.get()
    assert (
        teacher.get(reverse("admin:letters_lettertemplate_change", args=[template.pk])).status_code
        == 302
    )
    page = teacher.get(reverse("coordinate:edit", args=[campaign.slug])).content.decode()
    assert 'name="body"' not in page  # they choose a template; they do not write one


def test_reserved_words_are_never_a_campaign_slug(coordinator):
    assert services.campaign_create(user=coordinator, title="New").slug == "new-2"
    assert CampaignFactory  # factories importable


# --- Issue #12 -------------------------------------------------------------------------------


def test_the_sender_address_must_be_at_a_configured_domain(teacher, campaign, settings):
    settings.SENDER_EMAIL_DOMAINS = ["school.example", "letters.example.org"]
    url = reverse("coordinate:edit", args=[campaign.slug])
    page = teacher.post(url, edit_data(campaign, sender_email="president@whitehouse.gov"))
    assert page.status_code == 200
    assert (
        "Email batches can be sent only from an address at school.example, letters.example.org."
        in page.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.sender_email == ""
    assert (
        teacher.post(url, edit_data(campaign, sender_email="room12@School.Example")).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert campaign.sender_email == "room12@School.Example"


def test_another_coordinators_draft_is_not_in_the_template_picker(teacher, campaign, coordinator):
    draft = CampaignFactory(title="Someone else's secret draft", status=Campaign.Status.DRAFT)
    draft.coordinators.add(UserFactory(username="someone_else"))
    from tests.factories import LetterTemplateFactory

    secret = LetterTemplateFactory(campaign=draft, subject="Secret subject")
    mine = CampaignFactory(title="My own draft", status=Campaign.Status.DRAFT)
    mine.coordinators.add(coordinator)
    own = LetterTemplateFactory(campaign=mine, subject="My subject")
    url = reverse("coordinate:edit", args=[campaign.slug])
    page = teacher.get(url).content.decode()
    assert "Someone else&#x27;s secret draft" not in page and "Secret subject" not in page
    assert "My own draft" in page
    response = teacher.post(url, edit_data(campaign, template_from=secret.pk))
    assert response.status_code == 200  # not a choice
    assert campaign.templates.count() == 1
    assert teacher.post(url, edit_data(campaign, template_from=own.pk)).status_code == 302
    assert campaign.templates.get(is_active=True).subject == "My subject"


def test_the_service_refuses_another_coordinators_draft_template(campaign, coordinator):
    from tests.factories import LetterTemplateFactory

    draft = CampaignFactory(status=Campaign.Status.DRAFT)
    secret = LetterTemplateFactory(campaign=draft)
    with pytest.raises(ValidationError, match="public campaign or of one you coordinate"):
        services.campaign_update(
            campaign=campaign, fields={}, template_from=secret, user=coordinator
        )


def test_a_campaign_past_its_end_date_cannot_be_opened(teacher, campaign):
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    data = edit_data(campaign, status="open", ends_on="2026-11-01")
    page = teacher.post(reverse("coordinate:edit", args=[campaign.slug]), data).content.decode()
    assert "The campaign&#x27;s end date has passed" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_campaign_to_the_students_members_of_congress_opens_without_other_officials(
    teacher, seeded
):
    from tests.factories import OfficialFactory

    seat = OfficialFactory(
        slug="us-senate-wa-class-1",
        office="United States Senator for Washington",
        chamber="senate",
        state="WA",
        senate_class=1,
    )
    teacher.post(
        reverse("coordinate:new"), {"title": "Room 12 writes to Congress", "start_from": ""}
    )
    campaign = Campaign.objects.get(title="Room 12 writes to Congress")
    page = teacher.get(reverse("coordinate:edit", args=[campaign.slug]))
    assert seat not in page.context["form"].fields["targets"].queryset  # reached by ZIP code
    assert "The student&#x27;s members of Congress" in page.content.decode()
    data = edit_data(
        campaign,
        status="open",
        congress_members="senators",
        recommendation_lists=[seeded.recommendation_lists.first().pk],
        template_from=seeded.templates.get(is_active=True, language="en").pk,
    )
    assert teacher.post(reverse("coordinate:edit", args=[campaign.slug]), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert campaign.congress_members == Campaign.CongressMembers.SENATORS
    assert not campaign.targets.exists()
    public = teacher.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    assert "Your two senators" in public


def test_a_copy_writes_to_the_same_members_of_congress(teacher, seeded):
    source = Campaign.objects.get(slug="write-to-your-members-of-congress")
    teacher.post(
        reverse("coordinate:new"), {"title": "Our Congress letters", "start_from": source.pk}
    )
    copy = Campaign.objects.get(title="Our Congress letters")
    assert copy.congress_members == Campaign.CongressMembers.BOTH
    assert not copy.targets.exists()
