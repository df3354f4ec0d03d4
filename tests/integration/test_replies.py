"""Issue #21 end to end: a coordinator records a reply to a team's letters on the coordinator
page; a real Celery worker sends, through the students' outbox, one email to each of that team's
students who gave an address, read back from a real SMTP server: with the private link, without
the reply's words. Each of those students' private pages shows the reply; another team's do not."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from letters.models import StudentEmail
from tests.integration.services import wait_for
from tests.replies.conftest import classes, president, teams  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "http://testserver"
REPLY_TEXT = "The Secretary thanks Room 7 and will raise the Mine Ban Treaty at the next review."


def body_of(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def html_of(received) -> str:
    return received.message.get_body(preferencelist=("html",)).get_content()


def test_a_team_reply_reaches_its_students_and_no_one_else(
    start_worker,
    smtp,
    client,
    coordinator,
    campaign,
    teams,  # noqa: F811
    classes,  # noqa: F811
    president,  # noqa: F811
):
    start_worker()
    client.force_login(coordinator)
    response = client.post(
        reverse("coordinate:replies", args=[campaign.slug]),
        {
            "official": president.pk,
            "received_on": "2026-03-02",
            "channel": "email",
            "scope": "team",
            "team": teams[0].pk,
            "text": REPLY_TEXT,
        },
        follow=True,
    )
    assert "The reply is recorded. It answers 3 letters" in response.content.decode()

    room7_with_address = [letter for letter in classes["room7"] if letter.email]
    assert len(room7_with_address) == 2

    def delivered() -> bool:
        """each Room 7 student with an address has the email at the SMTP server"""
        return all(smtp.handler.messages_to(letter.email) for letter in room7_with_address)

    wait_for(delivered, timeout=60)
    # Both outbox rows are sent (and no third exists) before the messages are counted.
    wait_for(
        lambda: (
            StudentEmail.objects.filter(
                kind=StudentEmail.Kind.REPLY_NOTICE, state=StudentEmail.State.SENT
            ).count()
            == 2
        ),
        timeout=30,
    )
    for letter in room7_with_address:
        (received,) = smtp.handler.messages_to(letter.email)
        body, html = body_of(received), html_of(received)
        link = SITE + reverse("letters:detail", args=[letter.token])
        assert link in body and link in html
        assert "An official has replied to your letter" in body
        assert "Mine Ban Treaty" not in body and "Mine Ban Treaty" not in html
        assert "Secretary thanks" not in received.message.as_string()
        # Only their own link: no other student's token or name.
        for other in classes["room7"] + classes["room9"]:
            if other.pk != letter.pk:
                assert other.token not in body and other.last_name not in body

    # The other team's student was not told, and nobody got a second email.
    assert smtp.handler.messages_to("carla@example.org") == []
    assert len(smtp.received) == 2

    for letter in classes["room7"]:
        page = Client().get(letter_url(letter)).content.decode()
        assert REPLY_TEXT in page
    for letter in classes["room9"]:
        assert REPLY_TEXT not in Client().get(letter_url(letter)).content.decode()


def letter_url(letter) -> str:
    return reverse("letters:detail", args=[letter.token])


def test_the_reply_question_reaches_the_student_once_and_its_yes_link_works_once(
    start_worker,
    smtp,
    settings,
    teams,  # noqa: F811
    classes,  # noqa: F811
):
    from django.utils import timezone

    from letters.models import Letter
    from replies import services
    from replies.models import ReplyQuestion

    start_worker()
    (letter,) = classes["room9"]
    # Time moves by dating the letter: sent just over REPLY_QUESTION_AFTER_DAYS ago.
    Letter.objects.filter(pk=letter.pk).update(
        sent_at=timezone.now()
        - datetime.timedelta(days=settings.REPLY_QUESTION_AFTER_DAYS, hours=1)
    )
    assert services.reply_questions_ask() == 1
    assert services.reply_questions_ask() == 0

    def arrived() -> bool:
        """the question reached the SMTP server"""
        return len(smtp.handler.messages_to(letter.email)) >= 1

    wait_for(arrived, timeout=60)
    (received,) = smtp.handler.messages_to(letter.email)
    body = body_of(received)
    yes, not_yet = re.findall(re.escape(SITE) + r"(/replies/answer/[^\s/]+/)", body)
    student = Client()
    assert "Thank you: your answer is recorded." in student.post(yes).content.decode()
    for again in (yes, not_yet):
        page = student.post(again).content.decode()
        assert "This link no longer works. Nothing was changed." in page
    question = ReplyQuestion.objects.get(letter=letter)
    assert question.answer == ReplyQuestion.Answer.YES
