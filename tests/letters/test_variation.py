"""How personal a letter is, and how alike letters are: the measures and the nudge."""

import re

import pytest
from django.urls import reverse

from letters import services, variation
from letters.models import Letter
from tests.factories import LetterFactory
from tests.letters.helpers import compose_data

OWN = (
    "My grandmother grew up in Battambang, where farmers still find mines in the rice fields. "
    "Every rainy season she worries about her neighbours' children walking to school."
)


def test_personal_share_counts_the_students_words():
    assert variation.personal_share(own="one two three", letter_words=12) == 0.25
    assert variation.personal_share(own="", letter_words=12) == 0.0
    assert variation.personal_share(own="a b", letter_words=0) == 0.0


def test_identical_texts_are_similar_and_different_texts_are_not():
    same = variation.sketch(OWN)
    assert variation.estimated_similarity(same, variation.sketch(OWN)) == 1.0
    other = variation.sketch(
        "I play football on a field that was cleared of landmines only ten years ago in Angola."
    )
    assert variation.estimated_similarity(same, other) < 0.2


def test_a_small_change_keeps_most_of_the_resemblance():
    changed = OWN.replace("Battambang", "Pailin")
    score = variation.estimated_similarity(variation.sketch(OWN), variation.sketch(changed))
    assert 0.5 <= score < 1.0


def test_sketch_is_stable_and_small():
    first = variation.sketch(OWN)
    assert first == variation.sketch(OWN.upper())  # case does not matter
    assert len(first) == variation.SKETCH_SIZE and all(0 <= n < 2**63 for n in first)
    assert variation.sketch("") is None


@pytest.mark.django_db
def test_measures_are_stored_on_submit_and_both_letters_know_they_are_alike(campaign):
    first = services.letter_submit(letter=LetterFactory(campaign=campaign, personal_paragraph=OWN))
    second = services.letter_submit(letter=LetterFactory(campaign=campaign, personal_paragraph=OWN))
    assert second.similarity == 1.0
    first.refresh_from_db()
    assert first.similarity == 1.0
    assert 0.2 < first.personal_share < 0.6
    different = services.letter_submit(
        letter=LetterFactory(
            campaign=campaign,
            personal_paragraph="Completely unrelated words about my town's library and its books.",
        )
    )
    assert different.similarity < 0.2


@pytest.mark.django_db
def test_the_nudge_appears_for_a_bare_template_letter_and_not_for_a_personal_one(
    client, campaign, student, recommendations, officials
):
    bare = compose_data(student, recommendations[:2], officials, personal_paragraph="")
    client.post(reverse("letters:compose", args=[campaign.slug]), bare)
    page = client.get(reverse("letters:detail", args=[Letter.objects.get().token])).content.decode()
    assert "Why does this matter to you?" in page
    assert "Someone or something you know that is affected." in page
    assert "0%</strong> of your letter" in page
    assert "Submit my letter" in page  # never blocks

    Letter.objects.all().delete()
    personal = compose_data(student, recommendations[:1], officials, personal_paragraph=OWN * 2)
    client.post(reverse("letters:compose", args=[campaign.slug]), personal)
    page = client.get(reverse("letters:detail", args=[Letter.objects.get().token])).content.decode()
    assert "Why does this matter to you?" not in page
    assert "Thank you for writing in your own words" in page


@pytest.mark.django_db
def test_a_copy_of_the_sample_paragraph_is_pointed_out(
    client, campaign, student, recommendations, officials
):
    campaign.sample_paragraph = OWN
    campaign.save()
    data = compose_data(student, recommendations[:1], officials, personal_paragraph=OWN)
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    draft = Letter.objects.get(status=Letter.Status.DRAFT)
    page = client.get(reverse("letters:detail", args=[draft.token])).content.decode()
    assert "much like the sample paragraph" in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Letter.Status.DRAFT, Letter.Status.SUBMITTED])
def test_the_letter_page_does_not_tell_whether_another_letter_holds_a_paragraph(
    client, campaign, student, recommendations, officials, status
):
    """Whoever types another student's paragraph (a guess, a rumour) learns nothing from the
    page: no figure, no band, no nudge depends on the campaign's other letters. The measure that
    does (stored on submit) is for coordinators only."""
    secret = (
        "My brother Tomas was hurt by a mine near Siem Reap in 2019, and he still cannot run "
        "with his friends on the football field behind our school."
    )
    other = services.letter_submit(
        letter=LetterFactory(campaign=campaign, personal_paragraph=secret)
    )
    # As many words as the secret, none of them shared: the same share of own words.
    fresh = " ".join(f"lantern{number}" for number in range(len(variation.words(secret))))
    pages = {}
    for name, paragraph in (("copy", secret), ("fresh", fresh)):
        data = compose_data(student, recommendations[:1], officials, personal_paragraph=paragraph)
        client.post(reverse("letters:compose", args=[campaign.slug]), data)
        letter = Letter.objects.exclude(pk=other.pk).get(personal_paragraph=paragraph)
        if status == Letter.Status.SUBMITTED:
            letter = services.letter_submit(letter=letter)
        pages[name] = client.get(reverse("letters:detail", args=[letter.token])).content.decode()
        assert "another student" not in pages[name] and "another letter" not in pages[name]
        assert "much like" not in pages[name]

    def measure_section(page: str) -> str:
        start = page.index('id="personal-measure"')
        return re.sub(
            r"/letters/[\w-]+/", "/letters/TOKEN/", page[start : page.index("</section>", start)]
        )

    # The same section, word for word, for a copy of another letter and for fresh words.
    assert measure_section(pages["copy"]) == measure_section(pages["fresh"])
    letter = Letter.objects.get(personal_paragraph=secret, pk__gt=other.pk)
    assert services.letter_measure(letter=letter).similarity == 0.0
    if status == Letter.Status.SUBMITTED:
        assert letter.similarity == 1.0  # coordinators still see it in their queue


@pytest.mark.django_db
def test_coordinators_sort_the_queue_by_how_personal_letters_are(client, coordinator, campaign):
    services.letter_submit(
        letter=LetterFactory(campaign=campaign, first_name="Bare", personal_paragraph="")
    )
    services.letter_submit(
        letter=LetterFactory(campaign=campaign, first_name="Rich", personal_paragraph=OWN * 3)
    )
    client.force_login(coordinator)
    url = reverse("coordinate:queue", args=[campaign.slug])
    least = client.get(url, {"sort": "personal"}).content.decode()
    most = client.get(url, {"sort": "-personal"}).content.decode()
    assert least.index("Bare Okafor") < least.index("Rich Okafor")
    assert most.index("Rich Okafor") < most.index("Bare Okafor")
    assert "Own words" in least and "Like another" in least
