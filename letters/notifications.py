"""Emails to students: the private link to their letter, and their copy once it was sent."""

from django.conf import settings
from django.urls import reverse

from letters import rendering
from letters.emails import build_email
from letters.models import Letter


def private_link(letter: Letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("letters:detail", args=[letter.token])


def send_private_link(*, letter: Letter) -> None:
    """Email the student the private link to their letter (only if they gave an address)."""
    if not letter.email:
        return
    message = build_email(
        "private_link",
        {"letter": letter, "campaign": letter.campaign, "link": private_link(letter)},
        to=[letter.email],
        language=letter.template.language,
    )
    message.send()


def send_student_copy(*, letter: Letter) -> None:
    """The student's copy, once every addressee has their letter: the PDF, and where it went
    (by email, or by post when the coordinator marked the print batch mailed)."""
    if not letter.email:
        return
    deliveries = list(letter.deliveries.select_related("official"))
    message = build_email(
        "student_copy",
        {
            "letter": letter,
            "campaign": letter.campaign,
            "link": private_link(letter),
            "officials": [d.official for d in deliveries],
            "by_post": any(d.channel == d.Channel.PRINT for d in deliveries),
        },
        to=[letter.email],
        language=letter.template.language,
    )
    rendered = rendering.render_letter(letter)
    message.attach(
        f"letter-{letter.campaign.slug}.pdf", rendering.letter_pdf(rendered), "application/pdf"
    )
    message.send()
