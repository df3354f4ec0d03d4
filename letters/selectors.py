"""Reads that views share."""

import re

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from campaign import content_cache
from campaign.models import Campaign, Official, Recommendation, RecommendationList
from letters.models import Batch, Delivery, Letter, StudentEmail

#: Letters that count toward a campaign's goal (as `LetterQuerySet.counted`, through the relation).
COUNTED = ~Q(letters__status=Letter.Status.DRAFT)

TOKEN_MAX_LENGTH = 64
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def get_letter_by_token(token: str) -> Letter:
    """The letter behind a private link, or 404: a wrong token and a deleted letter look alike."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not TOKEN_PATTERN.fullmatch(token):
        raise Http404
    try:
        return Letter.objects.select_related("campaign", "template", "team").get(token=token)
    except Letter.DoesNotExist:
        raise Http404 from None


def batch_progress_counts(batch: Batch) -> dict:
    """Deliveries of a batch by state, and how far along it is."""
    counts = dict(batch.deliveries.values_list("state").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    # The app's part is done once a delivery is sent, failed, or in the print pack.
    done = sum(
        counts.get(state, 0)
        for state in (Delivery.State.SENT, Delivery.State.FAILED, Delivery.State.PACKED)
    )
    return {
        "total": total,
        **{state: counts.get(state, 0) for state in Delivery.State.values},
        "percent": round(100 * done / total) if total else 100,
        # Copies that wait for a failed addressee move only after a retry: not running work.
        "finished": counts.get(Delivery.State.QUEUED, 0) + counts.get(Delivery.State.SENDING, 0)
        == 0,
        "pack_ready": bool(batch.pack),
        "pack_error": batch.pack_error,
    }


def campaigns_with_progress(queryset: QuerySet[Campaign] | None = None) -> list[Campaign]:
    """Campaigns with `letter_count` (submitted or further, plus paper letters) and `progress`."""
    queryset = queryset if queryset is not None else Campaign.objects.public()
    # Open campaigns first (the ones a visitor can write to), then drafts, then closed ones.
    status_order = Case(
        When(status=Campaign.Status.OPEN, then=Value(0)),
        When(status=Campaign.Status.DRAFT, then=Value(1)),
        default=Value(2),
    )
    campaigns = list(
        queryset.annotate(online_letters=Count("letters", filter=COUNTED)).order_by(
            status_order, "-starts_on", "title"
        )
    )
    for campaign in campaigns:
        _set_progress(campaign, campaign.online_letters)
    return campaigns


def _set_progress(campaign: Campaign, online_letters: int) -> None:
    campaign.letter_count = online_letters + campaign.paper_letters + campaign.archived_letters
    goal = campaign.letter_goal or 1
    campaign.progress = min(100, round(100 * campaign.letter_count / goal))


def public_campaign_row(slug: str) -> Campaign | None:
    """The public campaign behind an address (the campaign page, the compose form and its
    submit), read at most CAMPAIGN_FIGURES_SECONDS ago under the content version: an editor's
    change (a campaign closed or unpublished) shows at once."""
    return content_cache.figures(
        "campaign", slug, count=lambda: Campaign.objects.public().filter(slug=slug).first()
    )


def public_campaign(slug: str) -> Campaign | None:
    """The public campaign page's campaign, with `letter_count` and `progress`, each read at most
    CAMPAIGN_FIGURES_SECONDS ago (on deadline day a national campaign's letters are counted once
    in that time, not on every view). Both are kept under the content version, so an editor's
    change shows at once; the short time also bounds a change the cache was not told of (a
    campaign unpublished while the cache was unreachable)."""
    campaign = public_campaign_row(slug)
    if campaign is not None:
        online = content_cache.figures(
            "campaign-letters",
            campaign.pk,
            count=lambda: Letter.objects.filter(campaign=campaign).counted().count(),
        )
        _set_progress(campaign, online)
    return campaign


def campaign_for_public_page(slug: str) -> Campaign | None:
    queryset = Campaign.objects.public().prefetch_related(
        Prefetch(
            "recommendation_lists",
            queryset=RecommendationList.objects.select_related("source").prefetch_related(
                Prefetch("items", queryset=Recommendation.objects.order_by("position"))
            ),
        ),
        Prefetch("targets", queryset=Official.objects.prefetch_related("terms")),
        Prefetch("cc", queryset=Official.objects.prefetch_related("terms")),
        "facts__source",
        "default_recommendations",
    )
    found = campaigns_with_progress(queryset.filter(slug=slug))
    return found[0] if found else None


def campaign_officials(campaign: Campaign) -> QuerySet[Official]:
    """Every official the campaign's letters may go to: its targets, its cc, and whoever its
    letters are addressed to (an official may have left the targets since)."""
    recipients = Letter.recipients.through.objects.filter(letter__campaign=campaign)
    return Official.objects.filter(
        Q(pk__in=campaign.targets.values("pk"))
        | Q(pk__in=campaign.cc.values("pk"))
        | Q(pk__in=recipients.values("official_id"))
    )


def failed_student_emails(letters: QuerySet[Letter]) -> QuerySet[StudentEmail]:
    """Emails to these letters' students that gave up (for their coordinators to retry)."""
    return (
        StudentEmail.objects.filter(letter__in=letters, state=StudentEmail.State.FAILED)
        .select_related("letter")
        .order_by("-updated_at")
    )
