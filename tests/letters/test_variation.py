"""How personal a letter is, and how alike letters are: the measures and the nudge."""

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
def test_a_copied_paragraph_is_pointed_out(client, campaign, student, recommendations, officials):
    services.letter_submit(letter=LetterFactory(campaign=campaign, personal_paragraph=OWN))
    data = compose_data(student, recommendations[:1], officials, personal_paragraph=OWN)
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    draft = Letter.objects.get(status=Letter.Status.DRAFT)
    page = client.get(reverse("letters:detail", args=[draft.token])).content.decode()
    assert "much like another student" in page


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
