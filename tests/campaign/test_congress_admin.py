"""The admin and the imported seats in Congress: the data's age, and hand changes to imported
holders only by administrators, each one in the history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from campaign.models import Official, Term
from tests.factories import CongressImportFactory, OfficialFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported_holder():
    seat = OfficialFactory(
        slug="us-senate-wa-class-1",
        office="United States Senator for Washington",
        chamber=Official.Chamber.SENATE,
        state="WA",
        senate_class=1,
    )
    return TermFactory(
        official=seat,
        name="Maria Cantwell",
        salutation="Dear Senator Cantwell",
        starts_on=datetime.date(2001, 1, 3),
        verified_on=datetime.date(2026, 6, 15),
        record=Term.Record.DATA_IMPORT,
        member_id="C000127",
        verification_source="unitedstates/congress-legislators data of 2026-06-15",
    )


@pytest.fixture
def content_editor(client):
    user = UserFactory(username="edith_editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(user)
    return client


def _term_data(term: Term, **changes) -> dict:
    return {
        "official": term.official_id,
        "name": term.name,
        "salutation_en": term.salutation_en,
        "salutation_es": term.salutation_es or "",
        "starts_on": term.starts_on.isoformat(),
        "ends_on": "",
        "verified_on": term.verified_on.isoformat(),
        "verification_source": term.verification_source,
        "record": term.record,
        "phone": "",
        "contact_url": "",
        **changes,
    }


def test_a_content_editor_cannot_change_an_imported_holder(content_editor, imported_holder):
    url = reverse("admin:campaign_term_change", args=[imported_holder.pk])
    assert content_editor.get(url).status_code == 200  # they see it
    response = content_editor.post(url, _term_data(imported_holder, name="Someone Else"))
    assert response.status_code == 403
    imported_holder.refresh_from_db()
    assert imported_holder.name == "Maria Cantwell"
    assert imported_holder.history.count() == 1  # created, never changed


def test_an_administrators_change_to_an_imported_holder_is_in_the_history(
    client, administrator, imported_holder
):
    client.force_login(administrator)
    admin_client = client
    url = reverse("admin:campaign_term_change", args=[imported_holder.pk])
    response = admin_client.post(
        url,
        _term_data(
            imported_holder,
            ends_on="2026-07-01",
            verified_on="2026-07-02",
            verification_source="Senate press gallery",
            record=Term.Record.ADMINISTRATOR,
        ),
    )
    assert response.status_code == 302
    latest = imported_holder.history.first()
    assert latest.history_user.username == "ada_admin"
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"ends_on", "verified_on", "verification_source", "record"} <= changed
    page = admin_client.get(reverse("admin:campaign_term_history", args=[imported_holder.pk]))
    assert "ada_admin" in page.content.decode()


def test_the_list_of_offices_says_how_old_the_congress_data_is(admin_client, settings):
    settings.HOLDER_CHECK_MAX_AGE_DAYS = 180
    today = timezone.localdate()
    CongressImportFactory(snapshot_on=today - datetime.timedelta(days=12))
    page = admin_client.get(reverse("admin:campaign_official_changelist")).content.decode()
    assert (
        f"public data of {(today - datetime.timedelta(days=12)).isoformat()}, 12 days old" in page
    )
    assert "letters go to the seats by title" not in page

    CongressImportFactory(snapshot_on=today - datetime.timedelta(days=200))
    page = admin_client.get(reverse("admin:campaign_official_changelist")).content.decode()
    assert "200 days old" in page
    assert "letters go to the seats by title until newer data is imported" in page
