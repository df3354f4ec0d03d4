"""The replies on pages other apps own (the student's private page, the public campaign page):
loaded by their templates, so `letters` never imports `replies`."""

from django import template
from django.urls import reverse

from campaign import content_cache
from replies import selectors

register = template.Library()


@register.inclusion_tag("replies/_letter_replies.html")
def letter_replies(letter) -> dict:
    if not selectors.may_have_replies(letter):
        return {"replies": []}
    replies = list(selectors.replies_for_letter(letter))
    for reply in replies:
        reply.student_file_url = (
            reverse("replies:letter_file", args=[letter.token, reply.pk]) if reply.file else ""
        )
    return {"replies": replies}


@register.inclusion_tag("replies/_campaign_outcomes.html")
def campaign_outcomes(campaign) -> dict:
    # Counted at most CAMPAIGN_FIGURES_SECONDS ago; a reply recorded or deleted shows
    # at once (it renews the content version: replies.apps).
    outcomes = content_cache.figures(
        "campaign-outcomes", campaign.pk, count=lambda: selectors.public_outcomes(campaign)
    )
    for reply in outcomes["public_replies"]:
        reply.public_file_url = (
            reverse("replies:public_file", args=[reply.pk]) if reply.file else ""
        )
    return outcomes
