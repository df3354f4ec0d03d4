"""An administrator edits a letter template and watches the live preview follow."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_editing_the_template_updates_the_preview(page, campaign, administrator):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("ada_admin")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    template = campaign.templates.get()
    page.goto(f"/admin/letters/lettertemplate/{template.pk}/change/")

    preview = page.locator("#template-preview")
    preview.get_by_text("Dear Mr. President,").wait_for()
    assert "Sam Rivera" in preview.inner_text()

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
