"""Administrators edit letter templates: validation, live preview, versions, history."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from letters import services
from letters.models import Letter, LetterTemplate
from tests.factories import TEMPLATE_BODY, LetterFactory, UserFactory
from tests.letters.helpers import pdf_text
from tests.letters.test_template_language import HOSTILE_TEMPLATES

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def without_list_numbers(text: str) -> str:
    return " ".join(word for word in text.split() if not re.fullmatch(r"\d+\.", word))


def change_data(template, **overrides) -> dict:
    return {
        "campaign": template.campaign_id,
        "language": template.language,
        "is_active": "on" if template.is_active else "",
        "subject": template.subject,
        "greeting": template.greeting,
        "body": template.body,
        "closing": template.closing,
        **overrides,
    }


@pytest.mark.parametrize("hostile", HOSTILE_TEMPLATES)
def test_saving_a_hostile_template_is_refused_with_line_and_reason(admin_client, campaign, hostile):
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    body = "Dear reader,\n\n" + hostile
    response = admin_client.post(url, change_data(template, body=body))
    assert response.status_code == 200
    assert "Line 3: " in response.content.decode()
    template.refresh_from_db()
    assert template.body == TEMPLATE_BODY


@pytest.mark.parametrize("harmless", ["{name.__class__}", "{name:>99999}"])
def test_python_format_syntax_saves_and_renders_as_text(admin_client, campaign, harmless):
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    assert admin_client.post(url, change_data(template, body=harmless)).status_code == 302
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_preview"), change_data(template, body=harmless)
    )
    assert harmless in response.json()["text"]


def test_change_page_lists_placeholders_and_the_preview(admin_client, campaign):
    template = campaign.templates.get()
    page = admin_client.get(reverse("admin:letters_lettertemplate_change", args=[template.pk]))
    text = page.content.decode()
    assert "{{ author.full_name }}" in text
    assert "The student&#x27;s first and last name" in text
    assert "Live preview" in text and "Preview PDF" in text


def test_preview_returns_the_same_text_as_the_pdf(admin_client, campaign):
    template = campaign.templates.get()
    data = change_data(template, body=TEMPLATE_BODY + "\n\nA new closing paragraph.")
    preview = admin_client.post(reverse("admin:letters_lettertemplate_preview"), data).json()
    pdf = admin_client.post(reverse("admin:letters_lettertemplate_preview_pdf"), data)
    assert pdf["Content-Type"] == "application/pdf"
    # The PDF's list numbers are drawn apart from the items' text: compare the words.
    assert without_list_numbers(preview["text"]) == without_list_numbers(pdf_text(pdf.content))
    assert "A new closing paragraph." in preview["html"]
    assert "Sam Rivera" in preview["text"]
    for item in campaign.default_recommendations.all():
        assert item.text in preview["text"]


def test_preview_reports_errors_instead_of_rendering(admin_client, campaign):
    template = campaign.templates.get()
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_preview"), change_data(template, body="{% debug %}")
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Body: Line 1: unknown tag")


def test_preview_needs_a_staff_login(client, campaign):
    response = client.post(
        reverse("admin:letters_lettertemplate_preview"), {"campaign": campaign.pk}
    )
    assert response.status_code == 302


def test_template_edit_changes_new_letters_not_submitted_ones(admin_client, campaign):
    template = campaign.templates.get()
    submitted = services.letter_submit(letter=LetterFactory(campaign=campaign))
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    admin_client.post(url, change_data(template, body="Version two of the letter."))
    template.refresh_from_db()
    assert template.version == 2
    new = services.letter_submit(letter=LetterFactory(campaign=campaign, first_name="Later"))
    assert "Version two of the letter." in new.rendered_text
    submitted.refresh_from_db()
    assert "Version two" not in submitted.rendered_text
    assert submitted.snapshot["template"]["version"] == 1
    from letters import rendering

    assert "Thank you for reading my letter." in rendering.letter_text(
        rendering.render_letter(submitted)
    )


def test_restore_from_history_brings_a_template_back(admin_client, campaign):
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    admin_client.post(url, change_data(template, body="First edit."))
    admin_client.post(url, change_data(template, body="Second edit."))
    history = list(template.history.order_by("history_date"))
    assert [h.body for h in history][-2:] == ["First edit.", "Second edit."]
    page = admin_client.get(reverse("admin:letters_lettertemplate_history", args=[template.pk]))
    first_edit, second_edit = history[-2], history[-1]
    listed = page.content.decode()
    for record in (first_edit, second_edit):  # each edit is listed with a link to restore it
        link = reverse(
            "admin:letters_lettertemplate_simple_history", args=[template.pk, record.history_id]
        )
        assert f'href="{link}"' in listed
    revert_url = reverse(
        "admin:letters_lettertemplate_simple_history", args=[template.pk, first_edit.history_id]
    )
    assert admin_client.get(revert_url).status_code == 200
    admin_client.post(revert_url, change_data(template, body=first_edit.body))
    template.refresh_from_db()
    assert template.body == "First edit."
    assert template.history.first().history_user.username == "ada_admin"


def test_duplicate_and_make_active(admin_client, campaign):
    template = campaign.templates.get()
    changelist = reverse("admin:letters_lettertemplate_changelist")
    admin_client.post(changelist, {"action": "duplicate", "_selected_action": [template.pk]})
    copy = LetterTemplate.objects.exclude(pk=template.pk).get()
    assert (copy.version, copy.is_active, copy.body) == (2, False, template.body)
    admin_client.post(changelist, {"action": "make_active", "_selected_action": [copy.pk]})
    copy.refresh_from_db()
    template.refresh_from_db()
    assert copy.is_active and not template.is_active
    letter = LetterFactory(campaign=campaign)
    assert letter.template == copy


def test_two_active_templates_is_a_clear_form_error(admin_client, campaign):
    template = campaign.templates.get()
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_add"), change_data(template, is_active="on")
    )
    assert "already has an active template" in response.content.decode()
    assert LetterTemplate.objects.count() == 1


def test_staff_without_the_template_permission_gets_403(client, campaign):
    editor = UserFactory(username="viewer", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_lettertemplate"))
    client.force_login(editor)
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    assert client.get(url).status_code == 200  # may look
    assert client.post(url, change_data(template, body="Changed")).status_code == 403
    template.refresh_from_db()
    assert template.body == TEMPLATE_BODY


def test_content_editors_may_edit_templates_but_not_read_letters(client, campaign):
    editor = UserFactory(username="content", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    assert client.post(url, change_data(template, body="Edited by content.")).status_code == 302
    letter = LetterFactory(campaign=campaign)
    assert client.get(reverse("admin:letters_letter_change", args=[letter.pk])).status_code == 403
    assert Letter.objects.count() == 1


def test_coordinators_group_cannot_change_templates(client, campaign):
    user = UserFactory(username="coord", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    assert client.post(url, change_data(template, body="x")).status_code == 403


# --- Issue #12: a preview too large is refused, not run for 40 s ------------------------------


def test_a_template_too_large_to_preview_is_refused_before_any_pdf(
    admin_client, campaign, monkeypatch
):
    from letters import pdf, template_language

    def no_pdf(*args, **kwargs):
        raise AssertionError("WeasyPrint was given a letter past the bounds")

    monkeypatch.setattr(pdf, "render_pdf", no_pdf)
    template = campaign.templates.get()
    huge = "\n\n".join(["{{ personal_paragraph }}"] * 600)  # about the largest a body can be
    for name in ("preview", "preview_pdf"):
        response = admin_client.post(
            reverse(f"admin:letters_lettertemplate_{name}"), change_data(template, body=huge)
        )
        assert response.status_code == 400
        assert "would pass 30,000 characters" in response.content.decode()
    # What the sample letter holds is measured too: many long recommendations, one loop.
    items = campaign.default_recommendations.all()
    items.update(text="x" * template_language.MAX_OUTPUT_CHARACTERS)
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_preview_pdf"), change_data(template)
    )
    assert response.status_code == 400
    assert "The sample letter is longer than 30,000 characters" in response.content.decode()


def test_saving_a_template_past_the_bounds_is_refused_with_the_line(admin_client, campaign):
    template = campaign.templates.get()
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    loop = "{% for recommendation in recommendations %}\n{{ recommendation.text }}\n{% endfor %}"
    response = admin_client.post(url, change_data(template, body="\n\n".join([loop] * 3)))
    assert response.status_code == 200
    assert "Line 9: a template may list the recommendations at most 2 times" in (
        response.content.decode()
    )


def test_view_only_staff_cannot_run_the_template_actions(client, campaign):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_lettertemplate"))
    client.force_login(viewer)
    template = campaign.templates.get()
    changelist = reverse("admin:letters_lettertemplate_changelist")
    for action in ("duplicate", "make_active"):
        client.post(changelist, {"action": action, "_selected_action": [template.pk]})
    assert LetterTemplate.objects.count() == 1
