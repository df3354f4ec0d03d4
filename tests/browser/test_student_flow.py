"""A student in a real browser: the public pages, then a letter from form to PDF."""

import pytest

from tests.letters.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_and_campaign_pages(page, campaign):
    page.goto("/")
    assert page.get_by_role("heading", name="Write a letter that officials read").is_visible()
    page.get_by_role("link", name="Ban landmines now").click()
    page.wait_for_url("**/campaigns/ban-landmines/")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Ban landmines now", level=1).is_visible()
    assert page.get_by_role("link", name="Write a letter").is_visible()
    assert page.get_by_text("Joseph R. Biden").is_visible()


def test_student_writes_previews_and_downloads_the_pdf(page, campaign, recommendations):
    page.goto(f"/campaigns/{campaign.slug}/")
    page.get_by_role("link", name="Write a letter").click()
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Lindqvist")
    page.get_by_label("School").fill("Eastwood High School")
    page.get_by_label("City or town").fill("Charleston")
    page.get_by_label("State or region").fill("West Virginia")
    # The defaults are ticked; add a third and move it to the top.
    page.get_by_label(recommendations[3].text).check()
    move_up = page.get_by_role("button", name=f"Move up: {recommendations[3].text}")
    move_up.click()
    move_up.click()
    page.get_by_label("Why this matters to you (optional)").fill(
        "My grandfather cleared mines in Laos."
    )
    assert page.get_by_text("37 of 2000 characters").is_visible()
    page.get_by_role("button", name="Preview my letter").click()

    page.wait_for_url("**/letters/**")
    preview = page.locator("#letter-preview")
    assert "Amara Lindqvist" in preview.inner_text()
    items = preview.locator("ol.letter-recommendations").first.locator("li").all_inner_texts()
    assert items == [recommendations[3].text, recommendations[0].text, recommendations[1].text]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    content = download_info.value.path().read_bytes()
    text = squash(pdf_text(content))
    assert "Amara Lindqvist" in text
    assert "My grandfather cleared mines in Laos." in text

    page.get_by_role("button", name="Submit my letter").click()
    page.get_by_text("A coordinator will review it").first.wait_for()
    link = page.get_by_role("textbox", name="Private link").input_value()
    assert link == page.url
