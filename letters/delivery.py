"""How letters and messages about them leave the app: email and print."""

from django.urls import reverse

from letters.emails import build_email
from letters.models import Letter


def private_link(letter: Letter) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + reverse("letters:detail", args=[letter.token])


def send_private_link(*, letter: Letter) -> None:
    """Email the student the private link to their letter (only if they gave an address)."""
    if not letter.email:
        return
    message = build_email(
        "private_link",
        {"letter": letter, "campaign": letter.campaign, "link": private_link(letter)},
        to=[letter.email],
    )
    message.send()
