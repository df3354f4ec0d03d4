"""“Did you get a reply?”: asked once, REPLY_QUESTION_AFTER_DAYS after the letter was sent, to
students who gave an address; the yes link records the answer once; a tampered or used link
shows the same neutral page and changes nothing. Time is moved by dating the letters in the
database (no sleeps)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from letters.models import Letter, StudentEmail
from replies import services, tasks
from replies.models import ReplyQuestion

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def sent_days_ago(letters, days: float) -> None:
    Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
        sent_at=timezone.now() - datetime.timedelta(days=days)
    )


def ask(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.ask_reply_questions()


def links_in(message) -> dict[str, str]:
    body = message.body
    found = re.findall(re.escape(SITE) + r"(/replies/answer/[^\s/]+/)", body)
    assert len(found) == 2, body
    return {"yes": found[0], "not_yet": found[1]}


def test_the_question_is_asked_once_after_the_delay(
    settings, classes, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.REPLY_QUESTION_AFTER_DAYS = 14
    everyone = classes["room7"] + classes["room9"]
    sent_days_ago(everyone, 13.9)
    assert ask(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    sent_days_ago(everyone, 14.1)
    # The three students with an address are asked; the one without is not.
    assert ask(django_capture_on_commit_callbacks) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana0@example.org",
        "ana1@example.org",
        "carla@example.org",
    ]
    assert all("Did you get a reply" in m.subject for m in mail.outbox)
    assert StudentEmail.objects.filter(kind=StudentEmail.Kind.REPLY_QUESTION).count() == 3
    # Once: the next runs (beat runs hourly) ask nobody again.
    assert ask(django_capture_on_commit_callbacks) == 0
    sent_days_ago(everyone, 40)
    assert ask(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3


def test_the_question_in_spanish_for_a_spanish_letter(
    settings, campaign, classes, django_capture_on_commit_callbacks
):
    from tests import factories

    settings.SITE_URL = SITE
    factories.translate_campaign(campaign)
    spanish = factories.LetterTemplateFactory(campaign=campaign, language="es")
    letter = classes["room9"][0]
    Letter.objects.filter(pk=letter.pk).update(template=spanish)
    sent_days_ago([letter], 20)
    ask(django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == ["carla@example.org"]]
    assert "¿Recibiste una respuesta" in message.subject


def test_the_yes_link_records_the_answer_once_and_tampered_or_used_links_do_nothing(
    settings, classes, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    letter = classes["room9"][0]
    sent_days_ago([letter], 30)
    ask(django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == ["carla@example.org"]]
    links = links_in(message)
    question = ReplyQuestion.objects.get(letter=letter)
    student = Client()

    # Opening the link asks first: a mail scanner that follows links answers nothing.
    page = student.get(links["yes"]).content.decode()
    assert "Yes, I got a reply" in page
    question.refresh_from_db()
    assert question.answered_at is None

    # A tampered link: the neutral page, nothing recorded.
    value = links["yes"].split("/")[-2]
    tampered = links["yes"].replace(value, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    swapped = links["not_yet"].replace("/answer/", "/answer/x")
    for bad in (tampered, swapped, "/replies/answer/not-signed/"):
        for response in (student.get(bad), student.post(bad)):
            assert response.status_code == 200
            assert "This link no longer works. Nothing was changed." in response.content.decode()
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("", None)

    # The yes link, confirmed: recorded once.
    response = student.post(links["yes"])
    assert "Thank you: your answer is recorded." in response.content.decode()
    question.refresh_from_db()
    assert question.answer == ReplyQuestion.Answer.YES
    answered_at = question.answered_at
    assert answered_at is not None

    # Used again, or the other link afterwards: the same neutral page, nothing changes.
    for used in (links["yes"], links["not_yet"]):
        for response in (student.get(used), student.post(used)):
            assert "This link no longer works. Nothing was changed." in response.content.decode()
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("yes", answered_at)


def test_a_link_for_one_question_cannot_answer_another(classes):
    first, second = classes["room7"][0], classes["room7"][1]
    now = timezone.now()
    one = ReplyQuestion.objects.create(letter=first, asked_at=now)
    two = ReplyQuestion.objects.create(letter=second, asked_at=now)
    value = services.question_link_value(question=one, answer="yes")
    assert services.reply_question_answer(value=value)
    assert not services.reply_question_answer(value=value)
    two.refresh_from_db()
    assert two.answered_at is None
    # The signature is salted for this use: a value signed for something else is refused.
    from django.core import signing

    forged = signing.dumps({"q": two.pk, "a": "yes"}, salt="another.salt")
    assert not services.reply_question_answer(value=forged)
