"""A teacher starts a class campaign from a seed campaign, opens it, and a student writes to it."""

import pytest
from django.core.management import call_command

from campaign.models import Campaign
from letters.models import Letter

pytestmark = pytest.mark.django_db(transaction=True)


def test_teacher_copies_a_seed_campaign_opens_it_and_a_student_writes(
    page, coordinator, chromium, live_server
):
    call_command("load_seed", verbosity=0)
    page.goto("/accounts/login/?next=/coordinate/")
    page.get_by_label("Username").fill("casey_coordinator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Start a campaign").click()
    page.get_by_label("Title of your campaign").fill("Room 12 bans landmines")
    page.get_by_label("A copy of “Join the Mine Ban Treaty”").check()
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_text("Your campaign is created as a draft").wait_for()

    page.get_by_label("Letter goal").fill("30")
    page.get_by_label("Status").select_option("open")
    page.get_by_role("button", name="Save").click()
    # The copy offers Spanish letters: its new title needs its Spanish words before it opens.
    page.get_by_text("Letters in Spanish cannot be offered until").wait_for()
    page.get_by_label("Title in Spanish").fill("El aula 12 prohíbe las minas")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The campaign is saved.").wait_for()
    campaign = Campaign.objects.get(title="Room 12 bans landmines")
    assert (campaign.status, campaign.letter_goal) == (Campaign.Status.OPEN, 30)

    student = chromium.new_context(base_url=live_server.url).new_page()
    student.goto(f"/campaigns/{campaign.slug}/")
    student.get_by_role("link", name="Write a letter").click()
    student.get_by_label("First name").fill("Ines")
    student.get_by_label("Last name").fill("Moreau")
    student.get_by_label("School").fill("Room 12 School")
    student.get_by_label("City or town").fill("Huntington")
    student.get_by_label("State or region").fill("West Virginia")
    student.get_by_role("button", name="Preview my letter").click()
    student.get_by_role("button", name="Submit my letter").click()
    student.get_by_text("A coordinator will review it").first.wait_for()
    letter = Letter.objects.get(campaign=campaign)
    assert letter.full_name == "Ines Moreau" and letter.status == Letter.Status.SUBMITTED
