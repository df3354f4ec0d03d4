"""A student in a real browser: the public pages, then a letter from form to PDF."""

import re

import pytest
from playwright.sync_api import expect

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
    # One line of the address per line (line feeds in a white-space: pre-line block, as in the PDF)
    sender = preview.locator(".letter-sender").first.inner_text()
    assert sender.splitlines() == [
        "Amara Lindqvist",
        "Eastwood High School",
        "Charleston, West Virginia",
    ]
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


def test_the_draft_survives_a_language_switch_and_a_reload(page, campaign, recommendations):
    page.goto(f"/campaigns/{campaign.slug}/write/")
    page.get_by_label("First name").fill("Lucía")
    page.get_by_label("Last name").fill("Ramírez")
    page.get_by_label("School").fill("Escuela Central")
    page.get_by_label("City or town").fill("El Paso")
    page.get_by_label("State or region").fill("Texas")
    page.get_by_label(recommendations[3].text).check()
    page.get_by_label("Why this matters to you (optional)").fill("Mi abuelo perdió una pierna.")
    # Switch to Spanish in the menu: the page comes back in Spanish with everything typed.
    page.select_option("#language-select", "es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#id_first_name").input_value() == "Lucía"
    assert page.locator("#id_school").input_value() == "Escuela Central"
    assert page.locator(f"#recommendation-{recommendations[3].pk}").is_checked()
    assert page.locator("#id_personal_paragraph").input_value() == "Mi abuelo perdió una pierna."
    assert page.locator("#chosen-order li").count() == 3  # the two defaults and the one added
    page.reload()
    assert page.locator("#id_last_name").input_value() == "Ramírez"
    page.get_by_role("button", name="Ver vista previa de mi carta").click()
    page.wait_for_url("**/letters/**")
    assert "Lucía Ramírez" in page.locator("#letter-preview").inner_text()
    # Sent to the server: nothing is left in the browser.
    assert page.evaluate("() => window.sessionStorage.length") == 0


def test_the_private_link_is_on_top_with_a_copy_button_and_submit_is_under_the_preview(
    page, campaign, recommendations
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/campaigns/{campaign.slug}/write/")
    for label, text in [
        ("First name", "Ada"),
        ("Last name", "Byron"),
        ("School", "Hill Academy"),
        ("City or town", "Elkins"),
        ("State or region", "West Virginia"),
    ]:
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Preview my letter").click()
    page.wait_for_url("**/letters/**")
    # Below the letter, a second Submit button: no scrolling back up after reading it.
    below = page.locator("#submit-below").get_by_role("button", name="All correct? Submit it")
    assert below.bounding_box()["y"] > page.locator("#letter-preview").bounding_box()["y"]
    below.click()
    page.get_by_text("A coordinator will review it").first.wait_for()
    link = page.get_by_role("textbox", name="Private link")
    box = link.bounding_box()
    assert box["y"] + box["height"] <= 844, "the private link is above the fold on a phone"
    assert box["x"] + box["width"] <= 390
    assert link.input_value() == page.url
    copy = page.get_by_role("button", name="Copy the link")
    copy.click()
    # The answer comes once the clipboard has it (asynchronously): waited for, not sampled.
    expect(page.locator("#private-link-status")).to_have_text(re.compile(r"\S"))
