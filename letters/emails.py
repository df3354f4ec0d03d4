"""Every email the app sends is built here from three templates per kind of message:
`emails/<kind>_subject.txt`, `emails/<kind>.txt` and `emails/<kind>.html`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_email(
    kind: str,
    context: dict,
    *,
    to: list[str],
    from_email: str | None = None,
    cc: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{kind}.txt", context),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc or [],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    return message
