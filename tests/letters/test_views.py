"""The compose flow as a student uses it: form, preview, submit, private link, PDF, delete."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters.models import Letter
from tests.letters.helpers import compose_data, pdf_text, squash

pytestmark = pytest.mark.django_db


def write(client, campaign, data):
    return client.post(reverse("letters:compose", args=[campaign.slug]), data)


def test_compose_form_prechecks_the_campaign_defaults(client, campaign, recommendations):
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    for item in recommendations[:2]:
        assert (
            f'value="{item.pk}" id="recommendation-{item.pk}" data-text="{item.text}" checked'
            in page
        )
    assert (
        f'id="recommendation-{recommendations[2].pk}" data-text="{recommendations[2].text}">'
        in page
    )
    assert "Quoted from USCBL-USCMC" in page
    assert 'for="id_first_name"' in page


def test_new_letter_is_a_draft_shown_as_preview(
    client, campaign, student, recommendations, officials
):
    response = write(client, campaign, compose_data(student, recommendations[:2], officials))
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:detail", args=[letter.token])
    assert letter.status == Letter.Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Check your letter" in page
    assert "Dear Mr. President," in page
    assert "Dear Secretary Blinken," in page
    assert student["personal_paragraph"] in page


def test_letters_keep_the_students_order(client, campaign, student, recommendations, officials):
    chosen = [recommendations[3], recommendations[0], recommendations[2]]
    write(client, campaign, compose_data(student, chosen, officials, order=chosen))
    letter = Letter.objects.get()
    assert [r.pk for r in letter.ordered_recommendations()] == [r.pk for r in chosen]


def test_errors_keep_everything_typed(client, campaign, student, recommendations, officials):
    data = compose_data(student, recommendations[:1], officials, first_name="", city="x" * 81)
    response = write(client, campaign, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Letter.objects.count() == 0
    assert "This field is required." in page
    assert "Ensure this value has at most 80 characters" in page
    assert student["personal_paragraph"] in page
    assert student["school"] in page
    assert f'value="{recommendations[0].pk}" id="recommendation-{recommendations[0].pk}"' in page
    assert "Everything you typed is still here" in page


def test_recommendation_and_recipient_are_required(client, campaign, student):
    response = write(client, campaign, {**student, "recipients": [], "recommendations": []})
    page = response.content.decode()
    assert "Choose at least one recommendation" in page
    assert "Choose at least one official" in page
    assert Letter.objects.count() == 0


def test_recommendation_from_another_campaign_is_refused(client, campaign, student, officials):
    from tests.factories import RecommendationFactory

    foreign = RecommendationFactory()
    response = write(client, campaign, compose_data(student, [foreign], officials))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Letter.objects.count() == 0


def test_team_code_joins_the_team(
    client, campaign, student, recommendations, officials, coordinator
):
    from tests.factories import TeamFactory

    team = TeamFactory(campaign=campaign, join_code="ABCD2345", coordinator=coordinator)
    write(
        client,
        campaign,
        compose_data(student, recommendations[:1], officials, team_code="abcd-2345"),
    )
    assert Letter.objects.get().team == team


def test_unknown_team_code_is_a_form_error(client, campaign, student, recommendations, officials):
    response = write(
        client,
        campaign,
        compose_data(student, recommendations[:1], officials, team_code="NOPE1234"),
    )
    assert "No team in this campaign has that code" in response.content.decode()
    assert Letter.objects.count() == 0


def test_submit_freezes_the_text_and_waits_for_review(
    client, campaign, student, recommendations, officials
):
    write(client, campaign, compose_data(student, recommendations[:2], officials))
    letter = Letter.objects.get()
    response = client.post(reverse("letters:submit", args=[letter.token]), follow=True)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SUBMITTED
    assert letter.submitted_at is not None
    assert "Maya Okafor" in letter.rendered_text
    assert recommendations[0].text in letter.rendered_text
    page = response.content.decode()
    assert "Your private link" in page
    assert f"/letters/{letter.token}/" in page
    assert "A coordinator will review it" in page


def test_campaign_without_review_approves_on_submit(
    client, campaign, student, recommendations, officials
):
    campaign.review_required = False
    campaign.save()
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    letter = Letter.objects.get()
    client.post(reverse("letters:submit", args=[letter.token]))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert letter.approved_at is not None


def test_private_link_is_emailed_when_an_address_is_given(
    client, campaign, student, recommendations, officials, django_capture_on_commit_callbacks
):
    data = compose_data(student, recommendations[:1], officials, email="maya@example.org")
    write(client, campaign, data)
    letter = Letter.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:submit", args=[letter.token]))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maya@example.org"]
    assert f"/letters/{letter.token}/" in message.body
    assert campaign.title in message.subject


def test_no_email_without_an_address(
    client, campaign, student, recommendations, officials, django_capture_on_commit_callbacks
):
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:submit", args=[Letter.objects.get().token]))
    assert mail.outbox == []


def test_edit_until_approved(client, campaign, student, recommendations, officials):
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    letter = Letter.objects.get()
    client.post(reverse("letters:submit", args=[letter.token]))
    edit_url = reverse("letters:edit", args=[letter.token])
    page = client.get(edit_url).content.decode()
    assert 'value="Maya"' in page
    data = compose_data(student, recommendations[:1], officials, personal_paragraph="New words.")
    assert client.post(edit_url, data).status_code == 302
    letter.refresh_from_db()
    assert letter.personal_paragraph == "New words."
    assert letter.status == Letter.Status.DRAFT  # submitted again after a change

    letter.status = Letter.Status.APPROVED
    letter.save()
    refused = client.post(edit_url, {**data, "personal_paragraph": "Changed after approval"})
    assert refused.status_code == 403
    assert "can no longer be changed" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.personal_paragraph == "New words."


@pytest.mark.parametrize("name", ["detail", "edit", "submit", "pdf", "delete"])
def test_made_up_token_is_404(client, campaign, name):
    response = client.get(reverse(f"letters:{name}", args=["x" * 43]))
    assert response.status_code in (404, 405)
    response = client.post(reverse(f"letters:{name}", args=["x" * 43]))
    assert response.status_code == 404


def test_another_letters_token_shows_only_that_letter(
    client, campaign, student, recommendations, officials
):
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    write(
        client,
        campaign,
        compose_data({**student, "first_name": "Other"}, recommendations[:1], officials),
    )
    mine, _other = Letter.objects.order_by("pk")
    page = client.get(reverse("letters:detail", args=[mine.token])).content.decode()
    assert "Maya Okafor" in page
    assert "Other Okafor" not in page


def test_a_drafts_page_asks_nothing_about_replies_or_deliveries(
    client, campaign, student, recommendations, officials
):
    """A draft was never submitted, so it has no reply and is in no batch: its page (read after
    every save) leaves both tables alone."""
    response = write(client, campaign, compose_data(student, recommendations[:1], officials))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(response["Location"]).content.decode()
    asked = " ".join(query["sql"] for query in captured.captured_queries)
    assert "replies_reply" not in asked and "letters_delivery" not in asked
    assert student["first_name"] in page


def test_private_pages_are_not_cached_or_indexed(
    client, campaign, student, recommendations, officials
):
    write(client, campaign, compose_data(student, recommendations[:1], officials))
    response = client.get(reverse("letters:detail", args=[Letter.objects.get().token]))
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_delete_removes_the_letter_and_its_choices(
    client, campaign, student, recommendations, officials
):
    from letters.models import LetterRecommendation

    write(client, campaign, compose_data(student, recommendations[:2], officials))
    letter = Letter.objects.get()
    assert (
        "Delete your letter?"
        in client.get(reverse("letters:delete", args=[letter.token])).content.decode()
    )
    response = client.post(reverse("letters:delete", args=[letter.token]), follow=True)
    assert "are deleted" in response.content.decode()
    assert Letter.objects.count() == 0
    assert LetterRecommendation.objects.count() == 0
    assert client.get(reverse("letters:detail", args=[letter.token])).status_code == 404


def test_closed_campaign_takes_no_new_letters(
    client, campaign, student, recommendations, officials
):
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    response = write(client, campaign, compose_data(student, recommendations[:1], officials))
    assert "This campaign is closed" in response.content.decode()
    assert Letter.objects.count() == 0


def test_downloaded_pdf_holds_the_letter(client, campaign, student, recommendations, officials):
    chosen = [recommendations[2], recommendations[0]]
    write(client, campaign, compose_data(student, chosen, officials, order=chosen))
    letter = Letter.objects.get()
    response = client.get(reverse("letters:pdf", args=[letter.token]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = squash(pdf_text(response.content))
    assert "Maya Okafor" in text
    assert squash(student["personal_paragraph"]) in text
    positions = [text.index(item.text) for item in chosen]
    assert positions == sorted(positions)
    assert recommendations[1].text not in text
    assert recommendations[3].text not in text
    for official in officials:
        assert f"{official.salutation}," in text
        for line in official.postal_address.splitlines():
            assert line in text
    from django.utils import timezone

    assert timezone.localdate().strftime("%B") in text
    assert str(timezone.localdate().year) in text


def test_writing_help_beside_the_form(client, campaign):
    from tests.factories import FactFactory

    campaign.guidance = "Pick two recommendations."
    campaign.sample_paragraph = "My cousin walks past a field that is still not cleared."
    campaign.save()
    fact = FactFactory(statement="164 countries have joined the Mine Ban Treaty.")
    campaign.facts.add(fact)
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert "Pick two recommendations." in page
    assert "A sample paragraph" in page and campaign.sample_paragraph in page
    assert "164 countries have joined the Mine Ban Treaty." in page
    assert (
        f'data-sentence-en="164 countries have joined the Mine Ban Treaty. ({fact.source.publisher}'
        in page
    )


def test_a_letter_in_spanish_uses_the_spanish_template_and_language_tag(
    client, campaign, student, recommendations, officials
):
    from letters.models import LetterTemplate
    from tests.factories import translate_campaign
    from tests.letters.helpers import pdf_reader

    translate_campaign(campaign)
    officials[0].terms.update(salutation_es="Señor Presidente")
    LetterTemplate.objects.create(
        campaign=campaign,
        language="es",
        subject="Sobre {{ campaign.title }}",
        greeting="{{ official.salutation }}:",
        body="Me llamo {{ author.full_name }}.\n\n{{ personal_paragraph }}",
        closing="Atentamente",
    )
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert "Language of your letter" in page
    data = compose_data(student, recommendations[:1], officials, letter_language="es")
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    letter = Letter.objects.get()
    assert letter.template.language == "es"
    content = client.get(reverse("letters:pdf", args=[letter.token])).content
    text = squash(pdf_text(content))
    assert "Señor Presidente:" in text and "Me llamo Maya Okafor." in text
    assert "Atentamente," in text
    from django.utils import timezone

    from letters.rendering import format_date

    spanish_date = format_date(timezone.localdate(), "es")
    assert " de " in spanish_date and spanish_date in text  # e.g. 23 de noviembre de 2026
    assert pdf_reader(content).trailer["/Root"]["/Lang"] == "es"


def test_a_letter_the_database_could_not_save_shows_the_form_again_with_what_was_typed(
    client, campaign, student, recommendations, officials, monkeypatch
):
    from django.db import OperationalError

    from letters import services

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "letter_create", locked)
    data = compose_data(
        student, recommendations[:1], officials, personal_paragraph="My own words, kept."
    )
    response = client.post(reverse("letters:compose", args=[campaign.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your letter could not be saved just now. Nothing you typed is lost" in html
    assert "My own words, kept." in html and student["school"] in html
