"""A Spanish letter is Spanish from the first word to the last (issue #14): written through the
Spanish form for every seed campaign that offers Spanish, it holds no English sentence outside
the parts marked lang="en", and greets each office in Spanish; Spanish is offered only when a
campaign's texts are complete; the English letter is unchanged."""

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override as translation_override
from pypdf.generic import ArrayObject, DictionaryObject

from campaign.models import Campaign, Recommendation
from letters import rendering, services
from letters.models import Letter, LetterTemplate
from letters.seed import load_seed
from tests.letters.helpers import compose_data, pdf_reader, pdf_text, squash

pytestmark = pytest.mark.django_db

SEED = json.loads((Path(settings.BASE_DIR) / "fixtures" / "seed.json").read_text("utf-8"))
#: Open seed campaigns with a Spanish letter template: each must offer Spanish.
SPANISH_CAMPAIGNS = [
    campaign["slug"]
    for campaign in SEED["campaigns"]
    if campaign["status"] == "open"
    and any(template.get("language") == "es" for template in campaign["templates"])
]
#: Words that only an English sentence has: the detector of English left in a Spanish letter.
ENGLISH_WORDS = {
    "the", "and", "of", "to", "with", "for", "that", "this", "from", "by", "our", "your",
    "you", "we", "are", "is", "was", "be", "have", "will", "would", "should", "please",
    "thank", "dear", "sincerely", "ask", "letter", "which", "their", "its", "it",
}  # fmt: skip
SPANISH_STUDENT = {
    "first_name": "Lucía",
    "last_name": "Hernández",
    "email": "",
    "school": "Escuela Secundaria Roosevelt",
    "grade": "8",
    "city": "Houston",
    "state": "Texas",
}


def english_words(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", " ", text)  # a link's random token may spell a word
    return [word for word in re.findall(r"[^\W\d_]+", text) if word.lower() in ENGLISH_WORDS]


def marked_english(document: str) -> list[str]:
    """The texts of the parts of a letter's HTML marked lang="en"."""
    return [
        html.unescape(squash(re.sub(r"<[^>]+>", "", part)))
        for part in re.findall(r'<span lang="en">(.*?)</span>', document, re.S)
    ]


def structure_languages(content: bytes) -> list[str]:
    """The /Lang of every structure element of a tagged PDF that has one."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/Lang" in node:
                found.append(str(node["/Lang"]))
            children = node.get("/K")
            for child in children if isinstance(children, ArrayObject) else [children]:
                if child is not None:
                    walk(child)

    walk(pdf_reader(content).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture
def seeded(db):
    load_seed()


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_the_open_seed_campaigns_with_a_spanish_letter_offer_it(seeded):
    assert len(SPANISH_CAMPAIGNS) == 5
    for slug in SPANISH_CAMPAIGNS:
        campaign = Campaign.objects.get(slug=slug)
        assert services.offered_languages(campaign=campaign) == ["en", "es"], slug


@pytest.mark.parametrize("slug", SPANISH_CAMPAIGNS)
def test_a_spanish_letter_of_every_seed_campaign_is_spanish(seeded, spanish, slug, request):
    campaign = Campaign.objects.get(slug=slug)
    congress = {}
    if campaign.congress_members:  # to the student's members of Congress, found by ZIP code
        request.getfixturevalue("shipped_congress")
        # The shipped snapshot's holders are vouched for whatever day the tests run on.
        request.getfixturevalue("settings").HOLDER_CHECK_MAX_AGE_DAYS = 100 * 365
        congress = {"zip_code": "98101", "congress_area": "WA-9"}
    compose_url = reverse("letters:compose", args=[slug])
    page = spanish.get(compose_url).content.decode()
    # The student adds a fact from the form, as the button does: in the letter's language.
    sentence = html.unescape(re.search(r'data-sentence-es="([^"]*)"', page).group(1))
    chosen = list(
        Recommendation.objects.filter(
            recommendation_list__in=campaign.recommendation_lists.all(),
            status=Recommendation.Status.CURRENT,
        ).order_by("recommendation_list", "position")
    )
    targets = list(campaign.targets.prefetch_related("terms"))
    data = compose_data(
        SPANISH_STUDENT,
        chosen,
        targets,
        letter_language="es",
        personal_paragraph=f"Este tema me importa mucho. {sentence}",
        **congress,
    )
    response = spanish.post(compose_url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    letter = Letter.objects.get(campaign=campaign)
    assert letter.template.language == "es"
    assert letter.recommendations.count() == len(chosen)

    content = spanish.get(reverse("letters:pdf", args=[letter.token])).content
    text = squash(pdf_text(content))
    document = rendering.letter_html(rendering.render_letter(letter))
    english = marked_english(document)
    outside = text
    for part in sorted(set(english), key=len, reverse=True):
        outside = outside.replace(part, " ")
    assert english_words(outside) == [], outside
    # What is marked is there in the PDF, and marked in its structure too.
    assert english and all(part in text for part in english)
    assert "en" in structure_languages(content)
    assert pdf_reader(content).trailer["/Root"]["/Lang"] == "es"
    # Each office is greeted in Spanish: by title, since no holder is vouched for today.
    today = timezone.localdate()
    for office in targets:
        assert office.holder_on(today) is None
        assert f"{office.salutation_es}:" in text
        assert office.addressed_title_es in text
        assert office.salutation_en not in text
    for item in chosen:
        assert squash(item.text_es) in text
    assert squash(sentence) in text
    assert f"de {timezone.localdate().year}" in text  # the date, e.g. 30 de noviembre de 2026


def test_an_english_letter_of_a_seed_campaign_is_unchanged(seeded, client):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    chosen = list(campaign.default_recommendations.all())
    data = compose_data(
        {**SPANISH_STUDENT, "school": "Lincoln Middle School"},
        chosen,
        list(campaign.targets.all()),
        letter_language="en",
    )
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    letter = Letter.objects.get()
    rendered = rendering.render_letter(letter)
    text = rendering.letter_text(rendered)
    assert "Dear President of the United States," in text
    assert all(item.text_en in text for item in chosen)
    assert "<span lang=" not in rendering.letter_html(rendered)
    assert rendered.title.endswith(": a letter from Lucía Hernández")


def test_opening_a_campaign_in_spanish_with_one_untranslated_recommendation_names_it(
    seeded, coordinator
):
    from coordinate import services as coordinate_services

    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    untranslated = Recommendation.objects.get(
        recommendation_list__slug="new-us-landmine-policy", position=4
    )
    untranslated.text_es = ""
    untranslated.save()
    assert services.offered_languages(campaign=campaign) == ["en"]
    with pytest.raises(ValidationError) as refused:
        coordinate_services.campaign_update(
            campaign=campaign, fields={"status": Campaign.Status.OPEN}
        )
    messages = refused.value.message_dict["status"]
    assert any("Ban the use of antipersonnel landmines" in line for line in messages)
    assert any("Recommendation 4 of “Recommendations for a New U.S." in m for m in messages)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_the_coordinator_sees_what_spanish_still_lacks_in_the_settings(seeded, coordinator, client):
    campaign = Campaign.objects.get(slug="destroy-the-stockpiles")
    campaign.coordinators.add(coordinator)
    fact = campaign.facts.first()
    fact.statement_es = ""
    fact.save()
    client.force_login(coordinator)
    page = client.get(reverse("coordinate:edit", args=[campaign.slug])).content.decode()
    assert 'id="missing-translations-es"' in page
    assert html.escape(fact.statement_en[:40]) in page


def test_a_spanish_template_is_refused_on_an_open_campaign_that_lacks_spanish(seeded):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    campaign.templates.filter(language="es").delete()
    campaign.facts.update(statement_es="")
    template = LetterTemplate(
        campaign=campaign, language="es", subject="Asunto", body="Cuerpo", closing="Atentamente"
    )
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "is_active" in refused.value.message_dict
    assert any("A fact" in line for line in refused.value.message_dict["is_active"])


def test_spanish_is_not_offered_while_incomplete_and_a_letter_is_then_english(seeded, spanish):
    campaign = Campaign.objects.get(slug="destroy-the-stockpiles")
    office = campaign.targets.first()
    office.salutation_es = ""
    office.save()
    page = spanish.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert 'name="letter_language"' not in page
    assert 'data-letter-language="en"' in page
    template = services.active_template(campaign=campaign, language="es")
    assert template.language == "en"


def test_an_old_snapshot_of_a_spanish_letter_marks_its_english_content(seeded):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    snapshot = {
        "version": 1,
        "campaign": {"title": campaign.title_en, "page_size": "letter"},
        "template": {
            "language": "es",
            "subject": "Asunto",
            "greeting": "Estimado/a {{ official.name }}:",
            "body": "{% for recommendation in recommendations %}\n{{ recommendation.text }}\n"
            "{% endfor %}",
            "closing": "Atentamente",
        },
        "date": "2024-12-01",
        "author": {**SPANISH_STUDENT},
        "personal_paragraph": "",
        "recommendations": [{"id": 1, "text": "Ban the use of landmines.", "source": "USCBL"}],
        "recipients": [
            {
                "id": 1,
                "name": "Joseph R. Biden",
                "office": "President of the United States",
                "salutation": "Dear Mr. President",
                "address": "The White House\nWashington, DC 20500",
                "by_title": False,
            }
        ],
        "cc": [],
    }
    document = rendering.letter_html(rendering.render_snapshot(snapshot))
    assert marked_english(document) == [
        "President of the United States",
        "The White House",
        "Washington, DC 20500",
        "Ban the use of landmines.",
    ]
    assert "Estimado/a Joseph R. Biden:" in document


def spanish_letter(campaign, *, email: str = "") -> Letter:
    """A Spanish letter to the campaign's offices, submitted and approved."""
    letter = services.letter_create(
        campaign=campaign,
        content=services.LetterContent(
            author={**SPANISH_STUDENT, "email": email},
            personal_paragraph="Me preocupan las niñas y los niños que viven cerca de las minas.",
            recommendations=list(campaign.default_recommendations.all()),
            recipients=list(campaign.targets.all()),
        ),
        language="es",
    )
    services.letter_submit(letter=letter)
    services.letters_approve(letters=[letter])
    letter.refresh_from_db()
    return letter


def test_the_private_link_and_the_students_copy_are_in_the_letters_language(
    seeded, mailoutbox, django_capture_on_commit_callbacks
):
    from letters import notifications

    campaign = Campaign.objects.get(slug="fund-mine-clearance-and-survivors")
    with django_capture_on_commit_callbacks(execute=True):
        letter = spanish_letter(campaign, email="lucia@example.org")  # the page is English
    (link,) = mailoutbox
    assert link.subject == f"Tu carta para “{campaign.title_es}”"
    assert "enlace privado" in link.body
    assert campaign.title_en not in link.body
    notifications.student_copy_message(letter=letter).send()
    copy = mailoutbox[-1]
    assert campaign.title_es in copy.subject and campaign.title_en not in copy.body
    # The private link's random token may spell an English word ("…Z9By_…"): left out.
    words = re.sub(r"https?://\S+", " ", copy.body.replace(campaign.title_es, ""))
    assert english_words(words) == [], copy.body


def test_a_print_packs_cover_letter_is_spanish_when_its_letters_are(seeded, settings, tmp_path):
    from letters.documents import build_print_pack
    from letters.models import Batch, Delivery

    settings.MEDIA_ROOT = tmp_path
    campaign = Campaign.objects.get(slug="fund-mine-clearance-and-survivors")
    letter = spanish_letter(campaign)
    batch = Batch.objects.create(campaign=campaign, method=Batch.Method.PRINT)
    for office in campaign.targets.all():
        Delivery.objects.create(
            batch=batch, letter=letter, official=office, channel=Delivery.Channel.PRINT
        )
    text = squash(pdf_text(build_print_pack(batch)))
    assert "Le adjuntamos 1 carta que le escribe una persona que estudia" in text
    assert "A la Presidencia de los Estados Unidos:" in text
    assert "Escuela Secundaria Roosevelt: 1 carta" in text
    assert "Enclosed" not in text and "Sincerely" not in text


def test_administrators_edit_each_language_side_by_side(seeded, administrator, client):
    client.force_login(administrator)
    item = Recommendation.objects.get(recommendation_list__slug="june-2022-calls", position=3)
    page = client.get(
        reverse("admin:campaign_recommendationlist_change", args=[item.recommendation_list_id])
    ).content.decode()
    for field in ("text_en", "text_es", "title_en", "title_es"):
        assert f'name="{field}"' in page or f'-{field}"' in page, field
    # An item's detail is on its own page (the list's inline keeps to what fits at 1280 px).
    page = client.get(
        reverse("admin:campaign_recommendation_change", args=[item.pk])
    ).content.decode()
    for field in ("detail_en", "detail_es", "status_note_en", "status_note_es"):
        assert f'name="{field}"' in page, field
    page = client.get(reverse("admin:campaign_official_changelist")).content.decode()
    assert "The President of the United States" in page  # lists in the admin's language


def test_history_keeps_every_language(seeded):
    item = Recommendation.objects.get(recommendation_list__slug="june-2022-calls", position=3)
    item.text_es = "Mantener su papel de principal financiador mundial del desminado humanitario."
    item.save()
    latest, before = item.history.all()[:2]
    assert latest.text_es.startswith("Mantener su papel de principal")
    assert before.text_es.startswith("Mantener su papel como principal")
    assert latest.text_en == before.text_en
    changes = latest.diff_against(before).changes
    assert [change.field for change in changes] == ["text_es"]


def test_load_seed_update_brings_the_spanish_back(seeded):
    campaign = Campaign.objects.get(slug="join-both-bans")
    Campaign.objects.filter(pk=campaign.pk).update(summary_es=None, title_es="")
    Recommendation.objects.filter(recommendation_list__slug="ccm-you-could").update(text_es=None)
    load_seed()  # an administrator's edits are kept ...
    assert not Campaign.objects.get(pk=campaign.pk).title_es
    report = load_seed(update=True)  # ... unless asked
    campaign.refresh_from_db()
    assert campaign.title_es == "Estudiantes por las dos prohibiciones"
    assert campaign.summary_es.startswith("Estudiantes de todo el mundo")
    assert report.updated["recommendations"] == 5
    assert not Recommendation.objects.filter(text_es__isnull=True).exists()


def test_making_a_spanish_template_active_in_the_admin_is_refused_while_texts_lack_spanish(
    seeded, administrator, client
):
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    spanish_template = campaign.templates.get(language="es", is_active=True)
    spanish_template.is_active = False
    spanish_template.save()
    campaign.targets.update(salutation_es="")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:letters_lettertemplate_changelist"),
        {"action": "make_active", "_selected_action": [spanish_template.pk]},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "How “President of the United States” is greeted" in page
    spanish_template.refresh_from_db()
    assert spanish_template.is_active is False


def test_the_officials_csv_carries_both_languages(seeded):
    from campaign import officials_csv
    from campaign.models import Official

    text = officials_csv.export_officials(Official.objects.order_by("slug"))
    assert text.splitlines()[0].endswith("office_es,addressed_title_es,salutation_es")
    Official.objects.update(salutation_es="")
    with translation_override("es"):  # an administrator whose admin is in Spanish
        officials_csv.import_officials(text.encode())
    president = Official.objects.get(slug="us-president")
    assert president.salutation_en == "Dear President of the United States"
    assert president.salutation_es == "A la Presidencia de los Estados Unidos"
