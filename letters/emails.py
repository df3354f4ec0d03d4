"""Every email the app sends is built here from three templates per kind of message:
`emails/<kind>_subject.txt`, `emails/<kind>.txt` and `emails/<kind>.html`, in the language given
(a letter's emails in the letter's language: its subject, body and footer, the campaign's title)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_email(
    kind: str,
    context: dict,
    *,
    to: list[str],
    from_email: str | None = None,
    cc: list[str] | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """The message of `kind`, in `language` (by default the active one)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
        body = render_to_string(f"emails/{kind}.txt", context)
        html = render_to_string(f"emails/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc or [],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message
