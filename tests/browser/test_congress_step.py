"""The ZIP code step on a phone: found with the keyboard or a tap, announced, audited by axe-core,
and a letter written through it."""

import pytest

from campaign.models import Campaign
from letters.models import Letter
from tests.browser.test_accessibility import AXE, RUN_AXE
from tests.campaign import congress_data
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_on_a_phone_finds_their_members_and_writes_to_them(
    chromium, live_server, campaign, settings
):
    require(AXE.exists(), "axe-core", "run `make test`, which installs it with npm (`npm ci`)")
    settings.HOLDER_CHECK_MAX_AGE_DAYS = 100 * 365  # the snapshot's holders, whatever the day
    congress_data.import_shipped()
    campaign.targets.clear()
    campaign.congress_members = Campaign.CongressMembers.BOTH
    campaign.save()
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/campaigns/{campaign.slug}/write/")

    page.get_by_label("Your ZIP code").fill("9810")
    page.get_by_role("button", name="Find my members").click()
    page.wait_for_load_state()
    zip_field = page.get_by_label("Your ZIP code")
    assert zip_field.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "id_zip_code"  # its error is read out
    described = zip_field.get_attribute("aria-describedby").split()
    assert "A ZIP code has five digits" in page.locator(f"#{described[-1]}").inner_text()

    zip_field.fill("98101")
    zip_field.press("Enter")  # the first button of the form: Find my members
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "congress-result"
    assert "is in more than one district" in page.locator("#congress-result").inner_text()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone

    page.get_by_label("Washington, district 9").check()
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("School").fill("Lincoln Middle School")
    page.get_by_label("City or town").fill("Seattle")
    page.get_by_label("State or region").fill("Washington")
    page.get_by_role("button", name="Preview my letter").click()
    page.wait_for_url("**/letters/**")
    text = page.locator("main").inner_text()
    assert "Dear Senator Cantwell," in text
    assert "Dear Representative Smith," in text
    assert Letter.objects.get().zip_code == "98101"
    context.close()
