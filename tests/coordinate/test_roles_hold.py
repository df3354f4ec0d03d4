"""Issue #12 "Roles hold": the attacks found, each tried again, and the admin going through the
services. The whole matrix is tried in test_permission_matrix.py; these are the stories."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, Official, Team
from coordinate.permissions import Role
from letters.models import Letter, LetterPdf
from tests import factories
from tests.coordinate.world import World, build_world, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def logged_in(world: World, role: Role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def change_form(client: Client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_data(page.content.decode(), form_id)


def student_data_in(text: str, world: World) -> list[str]:
    return [
        marker
        for student in world.students
        for marker in student.markers
        if marker and marker in text
    ]


# --- Content editors ----------------------------------------------------------------------------


def test_content_editor_cannot_make_themselves_a_coordinator_and_read_the_letters(world):
    """The High finding: tick your own name in `coordinators`, save, read every letter."""
    editor = world.users[Role.CONTENT_EDITOR]
    client = logged_in(world, Role.CONTENT_EDITOR)
    campaign = world.campaign
    url = reverse("admin:campaign_campaign_change", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'name="coordinators"' not in page and "cora_coordinator" not in page
    data = change_form(client, url, "campaign_form")
    data.update(
        {
            "coordinators": [editor.pk],
            "retention_days": "1",
            "status": "closed",
            "ends_on": "2026-01-02",
            "sender_email": "editor@example.org",
            "targets": [],
            "review_required": "",
            "summary_en": "What the campaign asks for, edited.",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    campaign.refresh_from_db()
    assert campaign.summary == "What the campaign asks for, edited."  # their part is saved
    assert list(campaign.coordinators.order_by("username").values_list("username", flat=True)) == [
        "cleo_second",
        "cora_coordinator",
    ]
    assert (campaign.retention_days, campaign.status, campaign.ends_on) == (365, "open", None)
    assert campaign.closed_at is None and campaign.review_required
    assert campaign.sender_email == "" and campaign.targets.count() == 1
    for name in ("coordinate:campaign", "coordinate:queue", "coordinate:letters_csv"):
        response = client.get(reverse(name, args=[campaign.slug]))
        assert response.status_code == 404
    for letter in (world.team_letter.letter, world.campaign_letter.letter):
        assert (
            client.get(reverse("admin:letters_letter_change", args=[letter.pk])).status_code == 403
        )
        assert (
            client.post(
                reverse("coordinate:delete_letter", args=[campaign.slug, letter.pk])
            ).status_code
            == 404
        )
    assert Letter.objects.count() == 4
    # Nor send a batch, nor remove the real coordinators.
    batches = reverse("coordinate:batches", args=[campaign.slug])
    assert client.post(batches, {"method": "print"}).status_code == 404
    remove = reverse(
        "coordinate:coordinator_remove", args=[campaign.slug, world.second_coordinator.pk]
    )
    assert client.post(remove).status_code == 404
    assert (
        campaign.coordinators.count() == 2
        and not campaign.batches.filter(created_by=editor).exists()
    )


def test_content_editor_cannot_revert_a_campaign_to_an_old_version_of_what_they_may_not_change(
    world,
):
    """A revert from the history holds every old value: only the editor's fields come back."""
    campaign = world.campaign
    admin_client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_campaign_change", args=[campaign.pk])
    data = change_form(admin_client, url, "campaign_form")
    old = {**data, "retention_days": "1", "summary_en": "An old summary."}
    assert admin_client.post(url, old).status_code == 302
    record = campaign.history.order_by("history_date").last()
    assert record.retention_days == 1
    assert admin_client.post(url, {**data, "retention_days": "365"}).status_code == 302

    client = logged_in(world, Role.CONTENT_EDITOR)
    revert = reverse(
        "admin:campaign_campaign_simple_history", args=[campaign.pk, record.history_id]
    )
    posted = change_form(client, revert, "historicalcampaign_form")
    assert client.post(revert, posted).status_code == 302
    campaign.refresh_from_db()
    assert campaign.summary == "An old summary."
    assert campaign.retention_days == 365


def test_content_editor_cannot_change_an_officials_delivery_email(world):
    """The Medium finding: change an official's delivery email, receive the next email batch."""
    official = world.campaign.targets.get()
    before = (official.delivery_email, official.postal_address)
    client = logged_in(world, Role.CONTENT_EDITOR)
    url = reverse("admin:campaign_official_change", args=[official.pk])
    page = client.get(url).content.decode()
    assert 'name="delivery_email"' not in page and 'name="postal_address"' not in page
    data = change_form(client, url, "official_form")
    data.update(
        {
            "delivery_email": "editor@evil.example",
            "postal_address": "1 Editor Lane\nEditorville, ST 00000",
            "salutation_en": "Dear Secretary",
        }
    )
    assert client.post(url, data).status_code == 302
    official.refresh_from_db()
    assert official.salutation == "Dear Secretary"  # what the office says: theirs to change
    assert (official.delivery_email, official.postal_address) == before

    # Nor by adding an office, importing a CSV, or reverting to an old version.
    assert client.get(reverse("admin:campaign_official_add")).status_code == 403
    csv_file = SimpleUploadedFile("o.csv", b"slug\n", content_type="text/csv")
    response = client.post(reverse("admin:campaign_official_import"), {"file": csv_file})
    assert response.status_code == 403
    Official.objects.filter(pk=official.pk).update(delivery_email="old@evil.example")
    official.refresh_from_db()
    official.save()  # an old version with another address, in the history
    Official.objects.filter(pk=official.pk).update(delivery_email=before[0])
    record = official.history.order_by("history_date").last()
    assert record.delivery_email == "old@evil.example"
    revert = reverse(
        "admin:campaign_official_simple_history", args=[official.pk, record.history_id]
    )
    posted = change_form(client, revert, "historicalofficial_form")
    assert client.post(revert, posted).status_code == 302
    official.refresh_from_db()
    assert official.delivery_email == before[0]


# --- Coordinators in the admin ------------------------------------------------------------------


def test_coordinators_group_staff_cannot_open_any_letter_in_the_admin(world):
    """The High finding: a "Coordinators" staff user opened any letter in the admin, with its
    personal paragraph and private-link token."""
    outsider = factories.UserFactory(username="nobodys_coordinator", is_staff=True)
    outsider.groups.add(world.users[Role.COORDINATOR].groups.get())
    client = Client()
    client.force_login(outsider)
    for student in world.students:
        url = reverse("admin:letters_letter_change", args=[student.letter.pk])
        response = client.get(url)
        assert response.status_code == 403
        assert student_data_in(response.content.decode(), world) == []
    for name in ("letter", "batch", "delivery", "lettertemplate"):
        assert client.get(reverse(f"admin:letters_{name}_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/letters/" not in index and "/admin/campaign/" not in index
    assert client.get(reverse("coordinate:dashboard")).status_code == 200
    for campaign in (world.campaign, world.other_campaign):
        assert client.get(reverse("coordinate:queue", args=[campaign.slug])).status_code == 404


def test_no_admin_page_shows_a_letters_private_link_token_even_to_an_administrator(world):
    client = logged_in(world, Role.ADMINISTRATOR)
    letter = world.team_letter.letter
    for url in (
        reverse("admin:letters_letter_change", args=[letter.pk]),
        reverse("admin:letters_letter_changelist"),
        reverse("admin:letters_batch_change", args=[world.team_batch.pk]),
        reverse("admin:letters_delivery_change", args=[world.team_batch.deliveries.get().pk]),
    ):
        text = client.get(url).content.decode()
        assert letter.token not in text, url
    assert (
        world.team_letter.letter.first_name
        in client.get(reverse("admin:letters_letter_change", args=[letter.pk])).content.decode()
    )


def test_coordinators_group_staff_cannot_reassign_a_team_to_themselves(world):
    """The High finding: reassign another school's team to yourself, then read its letters."""
    outsider = factories.UserFactory(username="team_thief", is_staff=True)
    outsider.groups.add(world.users[Role.COORDINATOR].groups.get())
    client = Client()
    client.force_login(outsider)
    team = world.other_team
    url = reverse("admin:campaign_team_change", args=[team.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"campaign": team.campaign_id, "name": team.name, "coordinator": outsider.pk}
    )
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.coordinator == world.other_coordinator
    dashboard = client.get(reverse("coordinate:dashboard")).content.decode()
    assert world.other_campaign.title not in dashboard
    # Even a coordinator of a whole campaign reaches no team in the admin.
    cora = logged_in(world, Role.COORDINATOR)
    assert cora.get(reverse("admin:campaign_team_change", args=[world.team.pk])).status_code == 403


# --- The delivery address: an administrator's act, in history, on the batch page ----------------


def test_an_administrators_delivery_email_change_is_in_history_and_on_the_batch_page(world):
    official = world.campaign.targets.get()
    admin_client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_official_change", args=[official.pk])
    data = change_form(admin_client, url, "official_form")
    assert (
        admin_client.post(url, {**data, "delivery_email": "new.office@agency.example"}).status_code
        == 302
    )
    record = official.history.order_by("history_date").last()
    assert record.delivery_email == "new.office@agency.example"
    assert record.history_user == world.users[Role.ADMINISTRATOR]

    coordinator = logged_in(world, Role.COORDINATOR)
    batches = reverse("coordinate:batches", args=[world.campaign.slug])
    Letter.objects.filter(pk=world.campaign_letter.letter.pk).update(status="approved")
    world.campaign_letter.letter.deliveries.all().delete()
    page = coordinator.get(batches).content.decode()
    date = timezone.localtime(record.history_date).strftime("%B %-d, %Y")
    assert f"The delivery address of {official} changed on {date}" in page
    assert "by ada_admin." in page and "new.office@agency.example" in page
    # Starting the batch needs the coordinator to say they checked it.
    response = coordinator.post(batches, {"method": "print", "team": ""})
    assert response.status_code == 200
    assert "Check the changed addresses above, then tick the box." in response.content.decode()
    response = coordinator.post(batches, {"method": "print", "team": "", "addresses_checked": "on"})
    assert response.status_code == 302


def test_address_changes_older_than_the_window_or_of_other_officials_are_not_shown(world, settings):
    official = world.campaign.targets.get()
    other_official = world.other_campaign.targets.get()
    for changed in (official, other_official):
        changed.delivery_email = "changed@agency.example"
        changed.save()
    long_ago = datetime.timedelta(days=settings.OFFICIAL_ADDRESS_CHANGE_DAYS + 1)
    official.history.update(history_date=F("history_date") - long_ago)
    page = (
        logged_in(world, Role.COORDINATOR)
        .get(reverse("coordinate:batches", args=[world.campaign.slug]))
        .content.decode()
    )
    assert "changed@agency.example" not in page and 'id="address-changes"' not in page


# --- The admin goes through the services ------------------------------------------------------


def test_the_admin_cannot_open_a_campaign_the_coordinator_pages_would_not(world):
    campaign = factories.CampaignFactory(status=Campaign.Status.DRAFT, slug="bare")
    client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_campaign_change", args=[campaign.pk])
    data = change_form(client, url, "campaign_form")
    response = client.post(url, {**data, "status": "open"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose at least one official the letters go to before opening the campaign." in text
    assert "Choose a letter template before opening the campaign." in text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_closing_in_the_admin_starts_the_retention_clock_and_opening_stops_it(world):
    campaign = world.campaign
    client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_campaign_change", args=[campaign.pk])
    data = change_form(client, url, "campaign_form")
    assert client.post(url, {**data, "status": "closed"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    assert client.post(url, {**data, "status": "open"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is None


def test_the_admin_cannot_take_away_a_campaigns_last_coordinator_or_use_a_reserved_slug(world):
    campaign = world.campaign
    client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_campaign_change", args=[campaign.pk])
    data = change_form(client, url, "campaign_form")
    response = client.post(url, {**data, "coordinators": []})
    assert "A campaign always keeps at least one coordinator." in response.content.decode()
    assert campaign.coordinators.count() == 2
    response = client.post(url, {**data, "slug": "batch"})
    assert "is a word the coordinator pages use" in response.content.decode()
    response = client.post(url, {**data, "sender_email": "president@whitehouse.gov"})
    assert "Email batches can be sent only from an address at example.org" in (
        response.content.decode()
    )
    other = factories.UserFactory(username="new_coordinator")
    assert client.post(url, {**data, "coordinators": [other.pk]}).status_code == 302
    assert list(campaign.coordinators.all()) == [other]


def test_a_team_added_in_the_admin_gets_a_random_join_code(world):
    client = logged_in(world, Role.ADMINISTRATOR)
    page = client.get(reverse("admin:campaign_team_add")).content.decode()
    assert 'name="join_code"' not in page
    response = client.post(
        reverse("admin:campaign_team_add"),
        {
            "campaign": world.campaign.pk,
            "name": "Room 40",
            "coordinator": world.second_coordinator.pk,
            "join_code": "CHOSEN",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    team = Team.objects.get(name="Room 40")
    assert team.join_code != "CHOSEN" and len(team.join_code) == 8


def test_deleting_a_letter_in_the_admin_deletes_its_files(world, settings):
    letter = world.team_letter.letter
    pdf = factories.LetterPdfFactory(letter=letter, official=world.campaign.targets.get())
    path = pdf.file.path
    client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:letters_letter_delete", args=[letter.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not LetterPdf.objects.exists()
    assert not os.path.exists(path)


def test_a_campaign_with_letters_is_deleted_in_the_admin_only_once_purged(world):
    """Letters keep their template (PROTECT): the admin refuses, and says why; once the
    retention service purged the letters (and their files), the campaign can go."""
    from letters import retention

    campaign = world.campaign
    pdf = factories.LetterPdfFactory(
        letter=world.campaign_letter.letter, official=campaign.targets.get()
    )
    path, pack = pdf.file.path, world.team_batch.pack.path
    client = logged_in(world, Role.ADMINISTRATOR)
    url = reverse("admin:campaign_campaign_delete", args=[campaign.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200 and "Cannot delete" in response.content.decode()
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    retention.campaign_purge_personal_data(campaign=campaign)
    assert not os.path.exists(path) and not os.path.exists(pack)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_the_address_changes_and_the_invitation_refusal_read_in_spanish(world, settings):
    official = world.campaign.targets.get()
    official.delivery_email = "nueva@agency.example"
    official.save()
    client = logged_in(world, Role.COORDINATOR)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("coordinate:batches", args=[world.campaign.slug])).content.decode()
    assert "Direcciones de entrega cambiadas en los últimos 30 días" in page
    assert f"La dirección de entrega de {official} cambió el" in page
    assert "la cambió un usuario desconocido." in page and "Ahora: nueva@agency.example" in page
    invitation = factories.CampaignInvitationFactory(campaign=world.other_campaign)
    page = client.get(reverse("coordinate:invitation", args=[invitation.token]))
    assert "Esta invitación es para otra persona" in page.content.decode()
