"""Destructive actions ask first: the button posts to the action, which answers with a page that
says what will happen and a form to confirm it (no JavaScript needed)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    explanation: str,
    button: str,
    cancel_url: str,
    **context,
) -> HttpResponse | None:
    """None when the coordinator already confirmed; otherwise the page that asks."""
    if request.POST.get("confirmed") == CONFIRMED:
        return None
    return render(
        request,
        "coordinate/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "cancel_url": cancel_url,
            "action": request.path,
            **context,
        },
    )
