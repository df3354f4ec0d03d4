"""Students find their own members of Congress by ZIP code in the compose form, and their letter
is addressed to them (letters/congress_step.py, the compose view, the PDF)."""

import pytest
from django.urls import reverse

from campaign.models import Campaign
from letters.congress_step import congress_step
from letters.models import Letter
from tests.campaign import congress_data
from tests.letters.helpers import compose_data, pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return congress_data.members()


def _name(member: dict) -> str:
    return member["name"]["official_full"]


def _senators(people, state: str) -> set[str]:
    return {
        _name(m)
        for m in people
        if congress_data.current_term(m)["type"] == "sen"
        and congress_data.current_term(m)["state"] == state
    }


def _house_member(people, state: str, district: int) -> str:
    return _name(congress_data.find(people, type="rep", state=state, district=district))


@pytest.fixture
def congress_campaign(shipped_congress, campaign, settings):
    """The compose fixture's campaign, written to the student's senators and representative
    only, with the shipped data imported."""
    # The shipped snapshot's holders are vouched for whatever day the tests run on.
    settings.HOLDER_CHECK_MAX_AGE_DAYS = 100 * 365
    campaign.targets.clear()
    campaign.congress_members = Campaign.CongressMembers.BOTH
    campaign.save()
    return campaign


def _names(offices) -> set[str]:
    return {office.name for office in offices}


def test_zip_codes_give_the_right_members_or_a_clear_message(congress_campaign, people):
    def step(zip_typed, **choice):
        return congress_step(campaign=congress_campaign, zip_typed=zip_typed, **choice)

    # Inside one district.
    one = step("10002")
    assert not one.asks_choice and not one.message
    assert _names(one.members) == _senators(people, "NY") | {_house_member(people, "NY", 10)}

    # Across two districts: both listed, with their members; the chosen one's are written to.
    two = step("98101")
    assert [option.key for option in two.options] == ["WA-7", "WA-9"]
    assert two.asks_choice and two.members == []
    assert "more than one district" in two.message
    chosen = step("98101", choice="WA-9")
    assert _names(chosen.members) == _senators(people, "WA") | {_house_member(people, "WA", 9)}

    # Across two states: each state's senators with its district's member.
    states = step("30165")
    assert [option.key for option in states.options] == ["AL-3", "GA-14"]
    assert _names(states.options[1].members) == _senators(people, "GA") | {
        _house_member(people, "GA", 14)
    }

    # An at-large state.
    alaska = step("99501")
    assert _names(alaska.members) == _senators(people, "AK") | {_house_member(people, "AK", 0)}
    assert alaska.options[0].label == "Alaska (at large)"

    # A territory with a delegate (and no senators).
    puerto_rico = step("00601")
    assert _names(puerto_rico.members) == {_house_member(people, "PR", 0)}
    washington_dc = step("20001")
    assert _names(washington_dc.members) == {_house_member(people, "DC", 0)}

    # Unknown: a clear message and a state picker for the senators.
    unknown = step("00000")
    assert unknown.asks_state and unknown.members == []
    assert "We have no district for ZIP code 00000" in unknown.message
    picked = step("00000", state="WA")
    assert _names(picked.members) == _senators(people, "WA")

    # Malformed: letters, four digits; a ZIP+4 is read as its five digits.
    assert step("ABCDE").error == "A ZIP code is made of five digits, like 98101, without letters."
    assert step("9810").error.startswith("A ZIP code has five digits; this one has 4.")
    assert step("981O1").error  # a letter O for a zero
    plus_four = step("98101-1234")
    assert plus_four.zip_code == "98101" and plus_four.asks_choice


def test_a_senators_only_campaign_asks_for_the_state_when_a_zip_code_spans_two(
    congress_campaign, people
):
    congress_campaign.congress_members = Campaign.CongressMembers.SENATORS
    step = congress_step(campaign=congress_campaign, zip_typed="02861")
    assert [option.key for option in step.options] == ["MA", "RI"]
    assert "more than one state" in step.message
    chosen = congress_step(campaign=congress_campaign, zip_typed="02861", choice="RI")
    assert _names(chosen.members) == _senators(people, "RI")


def test_find_my_members_shows_them_and_complains_of_nothing_else(client, congress_campaign):
    url = reverse("letters:compose", args=[congress_campaign.slug])
    response = client.post(url, {"zip_code": "98101", "find_members": "1", "first_name": "Maya"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pramila Jayapal" in page and "Adam Smith" in page
    assert "is in more than one district" in page
    assert 'value="Maya"' in page  # what the student typed is kept
    assert "Please check" not in page

    response = client.post(url, {"zip_code": "9810", "find_members": "1"})
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert "A ZIP code has five digits; this one has 4." in page


def test_letter_for_a_zip_code_in_two_districts_goes_to_the_chosen_member_and_the_senators(
    client, congress_campaign, student, recommendations, people
):
    url = reverse("letters:compose", args=[congress_campaign.slug])
    data = compose_data(student, recommendations[:2], [], zip_code="98101")

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Choose the one you live in" in refused.content.decode()
    assert not Letter.objects.exists()

    response = client.post(url, {**data, "congress_area": "WA-9"})
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.zip_code == "98101"
    assert {o.slug for o in letter.recipients.all()} == {
        "us-senate-wa-class-1",
        "us-senate-wa-class-3",
        "us-house-wa-9",
    }

    text = squash(pdf_text(client.get(reverse("letters:pdf", args=[letter.token])).content))
    smith = _house_member(people, "WA", 9)
    assert f"{smith} Representative for the 9th district of Washington" in text
    assert "Dear Representative Smith," in text
    assert "Maria Cantwell United States Senator for Washington" in text
    assert "Dear Senator Cantwell," in text
    assert "Dear Senator Murray," in text
    assert "Jayapal" not in text
    assert "98101" not in text  # the ZIP code finds the members; it is not printed


def test_unknown_zip_code_with_a_state_writes_to_its_senators(
    client, congress_campaign, student, recommendations
):
    url = reverse("letters:compose", args=[congress_campaign.slug])
    data = compose_data(student, recommendations[:1], [], zip_code="00000")
    refused = client.post(url, data)
    assert "Choose your state to write to your senators." in refused.content.decode()

    assert client.post(url, {**data, "congress_state": "OR"}).status_code == 302
    assert {o.slug for o in Letter.objects.get().recipients.all()} == {
        "us-senate-or-class-2",
        "us-senate-or-class-3",
    }


def test_members_of_another_zip_code_are_refused(congress_campaign, student, recommendations):
    from campaign.models import Official
    from letters import services

    content = services.LetterContent(
        author={name: student.get(name, "") for name in Letter.AUTHOR_FIELDS},
        personal_paragraph="",
        recommendations=recommendations[:1],
        recipients=[Official.objects.get(slug="us-house-wa-7")],
        zip_code="10002",
    )
    with pytest.raises(Exception, match="do not represent ZIP code 10002"):
        services.letter_create(campaign=congress_campaign, content=content)


def test_editing_a_letter_keeps_the_chosen_district(
    client, congress_campaign, student, recommendations
):
    url = reverse("letters:compose", args=[congress_campaign.slug])
    data = compose_data(student, recommendations[:1], [], zip_code="98101", congress_area="WA-9")
    client.post(url, data)
    letter = Letter.objects.get()
    page = client.get(reverse("letters:edit", args=[letter.token])).content.decode()
    assert 'value="98101"' in page
    assert 'value="WA-9" id="congress-area-2" checked' in page


def test_a_spanish_letter_greets_the_members_in_spanish(
    client, congress_campaign, student, recommendations
):
    from tests.factories import LetterTemplateFactory, translate_campaign

    translate_campaign(congress_campaign)
    LetterTemplateFactory(
        campaign=congress_campaign, language="es", greeting="{{ official.salutation }}:"
    )
    url = reverse("letters:compose", args=[congress_campaign.slug])
    data = compose_data(student, recommendations[:1], [], zip_code="98101")
    client.post(url, {**data, "congress_area": "WA-9", "letter_language": "es"})
    letter = Letter.objects.get()
    assert letter.template.language == "es"
    text = squash(pdf_text(client.get(reverse("letters:pdf", args=[letter.token])).content))
    assert "Estimada senadora Cantwell:" in text
    assert "Estimada senadora Murray:" in text
    assert "Estimado representante Smith:" in text
    assert "Miembro de la Cámara de Representantes por el 9.º distrito de Washington" in text


def test_the_zip_code_is_never_logged(client, congress_campaign, student, recommendations, caplog):
    caplog.set_level("DEBUG")
    url = reverse("letters:compose", args=[congress_campaign.slug])
    data = compose_data(student, recommendations[:1], [], zip_code="98101")
    client.post(url, {**data, "find_members": "1"})
    client.post(url, data)  # refused: no district chosen
    client.post(url, {**data, "congress_area": "WA-9"})
    assert Letter.objects.get().zip_code == "98101"
    assert "98101" not in caplog.text
