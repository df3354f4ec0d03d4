"""An editor edits a letter template, watches the live preview follow as they type, and saves."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def in_view(page, selector: str) -> bool:
    """The element's top part is inside the window (not scrolled out of sight)."""
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.top < window.innerHeight - 100 && r.height > 100; }""",
        selector,
    )


def test_editing_the_template_updates_the_preview(page, campaign, administrator):
    log_in(page, "ada_admin")
    template = campaign.templates.get()
    page.goto(f"/admin/letters/lettertemplate/{template.pk}/change/")

    preview = page.locator("#template-preview")
    preview.get_by_text("Dear Mr. President,").wait_for()
    assert "Sam Rivera" in preview.inner_text()
    recipient = preview.locator(".letter-recipient").first.inner_text().splitlines()
    assert len(recipient) >= 3 and recipient[1] == "President of the United States"  # a line each

    body = page.get_by_label("Body")
    body.fill(template.body + "\n\nWe are counting on you, {{ official.office }}.")
    preview.get_by_text("We are counting on you, President of the United States.").wait_for()

    body.fill("Broken: {{ author.age }}")
    status = page.locator("#template-preview-status")
    status.get_by_text("Body: Line 1: unknown placeholder").wait_for()

    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".errorlist").get_by_text("Line 1: unknown placeholder")
    error.wait_for()
    assert error.is_visible()
    assert campaign.templates.get().body.startswith("I am")  # nothing saved


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_sees_the_letter_change_as_they_type_then_saves(
    page, campaign, content_editor, width
):
    """A content editor's path: open the template, type at the end of the body, see the new
    sentence in the preview (in view, beside the text or above it on a phone), save."""
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    log_in(page, content_editor.username)
    template = campaign.templates.get()
    page.goto(f"/admin/letters/lettertemplate/{template.pk}/change/")
    preview = page.locator("#template-preview")
    preview.get_by_text("Dear Mr. President,").wait_for()

    body = page.get_by_label("Body")
    box = body.bounding_box()
    assert box["width"] >= (560 if width == 1280 else 340), f"the body is {box['width']} px wide"
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nPlease write back to our class.", delay=20)

    preview.get_by_text("Please write back to our class.").wait_for()
    assert in_view(page, "#template-preview"), "the preview scrolled out of sight while typing"
    assert in_view(page, "#id_body"), "the body scrolled out of sight while typing"
    if width == 1280:  # beside the text
        assert preview.bounding_box()["x"] > box["x"] + box["width"]
    else:  # above it
        assert preview.bounding_box()["y"] + preview.bounding_box()["height"] <= (
            body.bounding_box()["y"] + body.bounding_box()["height"]
        )

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    template.refresh_from_db()
    assert template.body.endswith("Please write back to our class.")
    assert template.version == 2
