"""The replies app's emails to students, built when the students' outbox sends them
(registered with `letters.student_emails`): in the letter's language, to the letter's address.
Neither holds a word of any reply: the student reads it behind their private link."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from letters.emails import build_email
from letters.models import Letter
from letters.notifications import private_link
from replies.models import ReplyQuestion
from replies.services import question_link_value


def reply_notice_message(*, letter: Letter, headers: dict | None = None) -> EmailMultiAlternatives:
    """ "An official replied": the private link, and nothing of the reply."""
    return build_email(
        "reply_notice",
        {"letter": letter, "campaign": letter.campaign, "link": private_link(letter)},
        to=[letter.email],
        headers=headers,
        language=letter.template.language,
    )


def answer_link(question: ReplyQuestion, answer: str) -> str:
    value = question_link_value(question=question, answer=answer)
    return settings.SITE_URL.rstrip("/") + reverse("replies:answer", args=[value])


def reply_question_message(
    *, letter: Letter, headers: dict | None = None
) -> EmailMultiAlternatives:
    """ "Did you get a reply?", with a yes link and a not-yet link (each works once)."""
    question = ReplyQuestion.objects.get(letter=letter)
    return build_email(
        "reply_question",
        {
            "letter": letter,
            "campaign": letter.campaign,
            "yes_link": answer_link(question, ReplyQuestion.Answer.YES),
            "not_yet_link": answer_link(question, ReplyQuestion.Answer.NOT_YET),
        },
        to=[letter.email],
        headers=headers,
        language=letter.template.language,
    )
