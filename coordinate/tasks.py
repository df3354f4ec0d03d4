"""Celery tasks of the coordinator side: ids in, nothing personal in arguments."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from campaign.models import CampaignInvitation
from coordinate import services
from letters.emails import build_email


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    invitation = (
        CampaignInvitation.objects.select_related("campaign", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("coordinate:invitation", args=[invitation.token])
    build_email(
        "invitation",
        {"invitation": invitation, "campaign": invitation.campaign, "link": link},
        to=[invitation.email],
    ).send()


@shared_task
def close_expired_campaigns() -> int:
    """Daily (beat): close the open campaigns whose end date has passed; retention starts."""
    return len(services.campaign_close_expired())
