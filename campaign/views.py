"""Public campaign pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from campaign import selectors
from campaign.models import Source
from letters.services import active_template


def home(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_with_progress()
    return render(request, "campaign/home.html", {"campaigns": campaigns})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_for_public_page(slug)
    if campaign is None:
        raise Http404
    return render(
        request,
        "campaign/detail.html",
        {
            "campaign": campaign,
            "accepting_letters": campaign.is_open
            and active_template(campaign=campaign) is not None,
            "default_ids": {item.pk for item in campaign.default_recommendations.all()},
        },
    )


def sources(request: HttpRequest) -> HttpResponse:
    documents = Source.objects.prefetch_related("facts", "recommendation_lists__items")
    return render(request, "campaign/sources.html", {"sources": documents})
