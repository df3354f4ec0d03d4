"""Letters to students' members of Congress go by post: a print pack sorted by office with one
cover letter per member and its tally, labels, and the dashboard's counts."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaign.models import Campaign, Official
from letters import services
from letters.congress_step import congress_step
from letters.models import Batch, Delivery, Letter
from tests.letters.helpers import squash

pytestmark = pytest.mark.django_db

#: 30 students in three states: ZIP code, district chosen, how many.
WRITERS = [("10002", "", 10), ("99501", "", 10), ("98101", "WA-7", 6), ("98101", "WA-9", 4)]


@pytest.fixture
def congress_campaign(shipped_congress, campaign, settings):
    settings.HOLDER_CHECK_MAX_AGE_DAYS = 100 * 365  # the snapshot's holders, whatever the day
    campaign.targets.clear()
    campaign.congress_members = Campaign.CongressMembers.BOTH
    campaign.save()
    return campaign


def _write_letters(campaign, writers=WRITERS) -> list[Letter]:
    items = list(campaign.default_recommendations.all())
    letters = []
    for zip_code, choice, count in writers:
        members = congress_step(campaign=campaign, zip_typed=zip_code, choice=choice).members
        for number in range(count):
            letter = services.letter_create(
                campaign=campaign,
                content=services.LetterContent(
                    author={
                        "first_name": f"Student{len(letters):02d}",
                        "last_name": "Example",
                        "school": ("Lincoln Middle School", "Hill Academy")[number % 2],
                        "city": "Springfield",
                        "state": "Somewhere",
                    },
                    personal_paragraph="",
                    recommendations=items,
                    recipients=members,
                    zip_code=zip_code,
                ),
            )
            letters.append(services.letter_submit(letter=letter))
    services.letters_approve(letters=letters)
    return [Letter.objects.get(pk=letter.pk) for letter in letters]


def _covers(pack: bytes) -> list[str]:
    pages = [squash(page.extract_text()) for page in PdfReader(io.BytesIO(pack)).pages]
    return [page for page in pages if "letters come from these schools" in page]


def test_print_batch_of_30_letters_in_3_states_has_one_cover_per_member_with_its_tally(
    client, coordinator, congress_campaign, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _write_letters(congress_campaign)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coordinate:batches", args=[congress_campaign.slug]), {"method": "print"}
        )
    batch = Batch.objects.get()
    # Congress takes no email from the app: every delivery is in the print pack.
    assert set(batch.deliveries.values_list("channel", flat=True)) == {Delivery.Channel.PRINT}
    assert batch.deliveries.count() == 10 * 3 + 10 * 3 + 6 * 3 + 4 * 3

    pack = b"".join(client.get(reverse("coordinate:batch_pack", args=[batch.pk])).streaming_content)
    covers = _covers(pack)

    def seat(slug: str) -> Official:
        return Official.objects.get(slug=slug)

    expected = [  # sorted by office: state by state, the senators, then the districts
        (seat("us-senate-ak-class-2"), 10),
        (seat("us-senate-ak-class-3"), 10),
        (seat("us-house-ak-at-large"), 10),
        (seat("us-senate-ny-class-1"), 10),
        (seat("us-senate-ny-class-3"), 10),
        (seat("us-house-ny-10"), 10),
        (seat("us-senate-wa-class-1"), 10),
        (seat("us-senate-wa-class-3"), 10),
        (seat("us-house-wa-7"), 6),
        (seat("us-house-wa-9"), 4),
    ]
    assert len(covers) == len(expected)
    for cover, (office, count) in zip(covers, expected, strict=True):
        assert f"{office.name} {office.office}" in cover
        assert f"{office.addressee_on(congress_campaign.starts_on).salutation}," in cover
        assert f"Enclosed are {count} letters to you" in cover
        schools = {school: int(n) for school, n in re.findall(r"(\w[\w ]+): (\d+) letters?", cover)}
        assert (
            sum(n for school, n in schools.items() if school.endswith(("School", "Academy")))
            == count
        )

    labels = PdfReader(io.BytesIO(pack)).pages[-1].extract_text()
    assert "Address labels" in labels
    assert (
        labels.count("Hart Senate Office Building")
        + labels.count("Russell Senate Office Building")
        + labels.count("Dirksen Senate Office Building")
        == 6
    )

    dashboard = client.get(reverse("coordinate:campaign", args=[congress_campaign.slug]))
    stats = dashboard.context["stats"]
    assert dict(stats["by_state"]) == {"New York": 10, "Alaska": 10, "Washington": 10}
    assert dict(stats["by_district"]) == {
        "New York, district 10": 10,
        "Alaska (at large)": 10,
        "Washington, district 7": 6,
        "Washington, district 9": 4,
    }
    by_member = dict(stats["by_member"])
    assert by_member[f"{seat('us-house-wa-9').name} ({seat('us-house-wa-9').office})"] == 4
    assert sum(by_member.values()) == 10 * 3 * 2 + 6 + 4 + 10 * 2
    assert "By member of Congress" in dashboard.content.decode()


def test_a_letter_keeps_the_member_it_was_written_to(congress_campaign, tmp_path, settings):
    """A new import replaces a member after letters were written: each letter keeps the member
    it addressed, and the print pack's cover for them is to that member."""
    import copy
    import datetime

    from campaign.congress_import import congress_import
    from letters import rendering
    from tests.campaign import congress_data

    settings.MEDIA_ROOT = tmp_path
    (letter,) = _write_letters(congress_campaign, [("98101", "WA-9", 1)])
    written = {p.official_id: p for p in rendering.render_letter(letter).pages}

    people = congress_data.members()
    replaced = congress_data.find(people, type="rep", state="WA", district=9)
    successor = copy.deepcopy(replaced)
    successor["id"] = {"bioguide": "X000002"}
    successor["name"] = {"first": "Jo", "last": "Later", "official_full": "Jo Later"}
    successor["terms"] = [{**congress_data.current_term(replaced), "start": "2026-09-01"}]
    folder = congress_data.modified_copy(
        tmp_path / "newer", [m for m in people if m is not replaced] + [successor]
    )
    congress_import(directory=folder, snapshot_on=datetime.date(2026, 9, 2))

    seat = Official.objects.get(slug="us-house-wa-9")
    page = rendering.render_letter(letter, official_id=seat.pk).pages[0]
    assert (
        page.recipient_lines[0]
        == written[seat.pk].recipient_lines[0]
        == replaced["name"]["official_full"]
    )
    assert seat.addressee_on(datetime.date(2026, 9, 2)).name == "Jo Later"
