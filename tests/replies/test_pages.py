"""Replies as students, the public and coordinators see them: a team's reply on each of its
students' private pages and on no other's; the public page with figures and public replies and
no student's name; the outcomes page's figures equal to counts from the database."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from letters.models import Delivery, Letter
from replies import services
from replies.models import Reply, ReplyAnswer, ReplyQuestion
from tests import factories
from tests.replies.conftest import send

pytestmark = pytest.mark.django_db

TEAM_REPLY = "The Department has received the letters of your class and will study the treaty."


def record_team_reply(campaign, president, team, *, text=TEAM_REPLY, **extra) -> Reply:
    return services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 2),
        channel=Reply.Channel.LETTER,
        scope=Reply.Scope.TEAM,
        team=team,
        text=text,
        **extra,
    )


def private_page(letter) -> str:
    return Client().get(reverse("letters:detail", args=[letter.token])).content.decode()


def test_coordinator_records_a_team_reply_that_only_its_students_see(
    client, coordinator, campaign, teams, classes
):
    client.force_login(coordinator)
    president = campaign.targets.get(slug="president")
    response = client.post(
        reverse("coordinate:replies", args=[campaign.slug]),
        {
            "official": president.pk,
            "received_on": "2026-03-02",
            "channel": "letter",
            "scope": "team",
            "team": teams[0].pk,
            "text": TEAM_REPLY,
        },
        follow=True,
    )
    assert "The reply is recorded. It answers 3 letters" in response.content.decode()
    for letter in classes["room7"]:
        assert TEAM_REPLY in private_page(letter)
    for letter in classes["room9"]:
        assert TEAM_REPLY not in private_page(letter)


def test_a_reply_file_opens_only_behind_the_links_it_answers(campaign, teams, classes, president):
    from replies.uploads import CleanFile

    reply = record_team_reply(
        campaign, president, teams[0], upload=CleanFile(b"%PDF-1.7 x", "pdf", "application/pdf")
    )
    own, other = classes["room7"][0], classes["room9"][0]
    url = reverse("replies:letter_file", args=[own.token, reply.pk])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        Client().get(reverse("replies:letter_file", args=[other.token, reply.pk])).status_code
        == 404
    )
    assert Client().get(reverse("replies:public_file", args=[reply.pk])).status_code == 404


def test_a_reply_naming_another_student_is_refused(campaign, teams, classes, president):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="names a student"):
        record_team_reply(
            campaign, president, teams[0], text="Dear Ana0 Room7Student0 and friends, thank you."
        )
    # To the one letter of its own student, the student's own name is fine.
    own = classes["room7"][0]
    reply = services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 2),
        channel=Reply.Channel.EMAIL,
        scope=Reply.Scope.LETTER,
        letter=own,
        text="Dear Ana0 Room7Student0, thank you.",
    )
    assert list(reply.answers.values_list("letter", flat=True)) == [own.pk]


def test_public_page_shows_figures_and_public_replies_and_no_student_name(
    client, campaign, teams, classes, president
):
    record_team_reply(campaign, president, teams[0])  # not public
    services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 3),
        channel=Reply.Channel.MEETING,
        scope=Reply.Scope.CAMPAIGN,
        text="We thank every student who wrote: the policy is under review.",
        public=True,
    )
    # Emailed, its print copy not posted yet: sent, as far as the public is told.
    emailed = factories.approved_letters(campaign, 1)[0]
    factories.DeliveryFactory(
        batch=factories.BatchFactory(campaign=campaign),
        letter=emailed,
        official=president,
        state=Delivery.State.SENT,
    )
    page = client.get(reverse("letters:campaign", args=[campaign.slug])).content.decode()
    sent = Letter.objects.filter(campaign=campaign, status=Letter.Status.SENT).count()
    assert f"{sent + 1} letters sent" in page
    assert f"{Reply.objects.filter(campaign=campaign).count()} replies received" in page
    assert "the policy is under review" in page
    assert TEAM_REPLY not in page
    for letter in Letter.objects.filter(campaign=campaign):
        assert letter.first_name not in page and letter.last_name not in page
    # The public campaign-wide reply shows on every student's private page.
    for letter in classes["room9"]:
        assert "the policy is under review" in private_page(letter)


def figures_from_database(campaign, official) -> dict:
    deliveries = Delivery.objects.filter(
        letter__campaign=campaign, official=official, state=Delivery.State.SENT
    )
    answered = (
        ReplyAnswer.objects.filter(reply__official=official, reply__campaign=campaign)
        .values("letter")
        .distinct()
        .count()
    )
    sent = deliveries.values("letter").distinct().count()
    return {
        "email": deliveries.filter(channel="email").values("letter").distinct().count(),
        "post": deliveries.filter(channel="print").values("letter").distinct().count(),
        "replies": Reply.objects.filter(campaign=campaign, official=official).count(),
        "answered": answered,
        "said_yes": ReplyQuestion.objects.filter(
            letter__campaign=campaign,
            letter__deliveries__official=official,
            answer=ReplyQuestion.Answer.YES,
        ).count(),
        "rate": f"{round(100 * answered / sent)}%" if sent else "—",
    }


def test_outcome_figures_equal_counts_from_the_database(
    client, coordinator, campaign, teams, classes, president, officials
):
    secretary = officials[1]
    # The secretary got two letters by post; nobody has answered them.
    posted = factories.approved_letters(campaign, 2, team=teams[1])
    send(posted, official=secretary, channel=Delivery.Channel.PRINT)
    record_team_reply(campaign, president, teams[0])
    services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 4),
        channel=Reply.Channel.EMAIL,
        scope=Reply.Scope.LETTER,
        letter=classes["room9"][0],
        text="Thank you.",
    )
    now = datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)
    ReplyQuestion.objects.create(letter=classes["room7"][0], asked_at=now, answer="yes")
    ReplyQuestion.objects.create(letter=classes["room7"][1], asked_at=now, answer="not_yet")
    client.force_login(coordinator)
    page = client.get(reverse("coordinate:outcomes", args=[campaign.slug])).content.decode()
    for official in (president, secretary):
        wanted = figures_from_database(campaign, official)
        row = page.split(f'data-official="{official.pk}"')[1].split("</tr>")[0]
        for name, value in wanted.items():
            assert f'data-figure="{name}">{value}<' in row, (official.office, name, row)
    assert figures_from_database(campaign, president)["rate"] == "100%"
    # The CSV says the same.
    response = client.get(reverse("coordinate:outcomes_csv", args=[campaign.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_office = {row[0]: row for row in rows[1:]}
    wanted = figures_from_database(campaign, president)
    assert by_office[president.office][2:7] == [
        str(wanted[name]) for name in ("email", "post", "replies", "answered", "said_yes")
    ]
    # One team: only its letters.
    page = client.get(
        reverse("coordinate:outcomes", args=[campaign.slug]), {"team": teams[0].pk}
    ).content.decode()
    row = page.split(f'data-official="{president.pk}"')[1].split("</tr>")[0]
    assert 'data-figure="email">3<' in row and 'data-figure="answered">3<' in row
    assert f'data-official="{secretary.pk}"' not in page


def test_a_team_coordinator_cannot_record_for_another_team_or_make_public(
    client, campaign, teams, classes, president
):
    client.force_login(teams[0].coordinator)
    url = reverse("coordinate:replies", args=[campaign.slug])
    page = client.get(url).content.decode()
    assert 'name="public"' not in page and 'value="campaign"' not in page
    response = client.post(
        url,
        {
            "official": president.pk,
            "received_on": "2026-03-02",
            "channel": "letter",
            "scope": "team",
            "team": teams[1].pk,
            "text": "Hello",
        },
    )
    assert response.status_code == 200
    assert not Reply.objects.exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_new_pages_have_a_description_headings_in_order_and_explicit_actions(
    client, coordinator, campaign, teams, classes, president, language
):
    from tests.test_pages import DESCRIPTION, assert_headings_in_order

    record_team_reply(campaign, president, teams[0])
    question = ReplyQuestion.objects.create(letter=classes["room7"][0], asked_at=timezone_now())
    answer = services.question_link_value(question=question, answer="yes")
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    urls = [
        reverse("letters:detail", args=[classes["room7"][0].token]),
        reverse("letters:campaign", args=[campaign.slug]),
        reverse("replies:answer", args=[answer]),
        reverse("replies:answer", args=["not-signed"]),
    ]
    client.force_login(coordinator)
    urls += [
        reverse("coordinate:replies", args=[campaign.slug]),
        reverse("coordinate:outcomes", args=[campaign.slug]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert f'<html lang="{language}"' in page, url
        assert DESCRIPTION.search(page), f"{url} has no meta description"
        assert_headings_in_order(url, page)
        assert 'action=""' not in page, url


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_the_coordinators_letter_page_lists_its_replies(
    client, coordinator, campaign, teams, classes, president
):
    letter = classes["room7"][0]
    url = reverse("coordinate:letter", args=[campaign.slug, letter.pk])
    client.force_login(coordinator)
    assert "No reply recorded yet." in client.get(url).content.decode()
    record_team_reply(campaign, president, teams[0])
    page = client.get(url).content.decode()
    assert f"{president.office} · 2026-03-02" in page
