"""Emails to students: the private link to their letter, and their copy once it was sent.

These build the messages; `letters.student_emails` sends them through the students' outbox
(a row first, retried over hours), so nothing here talks to the mail server.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from letters import documents
from letters.emails import build_email
from letters.models import Letter


def private_link(letter: Letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("letters:detail", args=[letter.token])


def private_link_message(*, letter: Letter, headers: dict | None = None) -> EmailMultiAlternatives:
    """The email with the private link to the letter, in the letter's language."""
    return build_email(
        "private_link",
        {"letter": letter, "campaign": letter.campaign, "link": private_link(letter)},
        to=[letter.email],
        headers=headers,
        language=letter.template.language,
    )


def student_copy_message(*, letter: Letter, headers: dict | None = None) -> EmailMultiAlternatives:
    """The student's copy, once every addressee has their letter: the PDF, and where it went
    (by email, or by post when the coordinator marked the print batch mailed)."""
    deliveries = list(letter.deliveries.select_related("official"))
    message = build_email(
        "student_copy",
        {
            "letter": letter,
            "campaign": letter.campaign,
            "link": private_link(letter),
            # Each list is said only when it has someone in it: the copy never claims an email
            # or a posting that did not happen.
            "by_email": [d.official for d in deliveries if d.channel != d.Channel.PRINT],
            "by_post": [d.official for d in deliveries if d.channel == d.Channel.PRINT],
        },
        to=[letter.email],
        headers=headers,
        language=letter.template.language,
    )
    message.attach(
        f"letter-{letter.campaign.slug}.pdf",
        documents.letter_download_pdf(letter),  # the PDF the student downloads, stored once
        "application/pdf",
    )
    return message
