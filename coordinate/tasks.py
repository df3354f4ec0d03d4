"""Celery tasks of the coordinator side: ids in, nothing personal in arguments. Each email is
written in its recipient's language: an account's own, else the one the request or invitation
was made in."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from campaign.models import CampaignInvitation
from coordinate import accounts, services
from coordinate.models import Account, CoordinatorRequest
from letters.emails import build_email

EMAIL_RETRY = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": True}


def site_link(url_name: str, *args) -> str:
    """Links in emails start with SITE_URL, never with the Host a request came with."""
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


@shared_task(**EMAIL_RETRY, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    invitation = (
        CampaignInvitation.objects.select_related("campaign", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return
    existing = accounts.user_for_email(invitation.email)
    build_email(
        "invitation",
        {
            "invitation": invitation,
            "campaign": invitation.campaign,
            "link": site_link("coordinate:invitation", invitation.token),
            "has_account": existing is not None,
        },
        to=[invitation.email],
        language=accounts.account_language(existing) or invitation.language,
    ).send()


@shared_task(**EMAIL_RETRY, max_retries=5)
def send_password_reset(user_id: int) -> None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    # The token is made here, not in the request: it holds the password's hash state, so the
    # link stops working once the password changes (it works once).
    link = site_link(
        "password_reset_confirm",
        urlsafe_base64_encode(force_bytes(user.pk)),
        default_token_generator.make_token(user),
    )
    build_email(
        "password_reset",
        {"user": user, "link": link, "days": settings.PASSWORD_RESET_TIMEOUT // 86400},
        to=[user.email],
        language=accounts.account_language(user),
    ).send()


@shared_task(**EMAIL_RETRY, max_retries=5)
def send_email_confirmation(user_id: int) -> None:
    account = Account.objects.select_related("user").filter(user_id=user_id).first()
    if account is None or not account.pending_email:
        return
    link = site_link("account_email_confirm", accounts.email_change_token(account.user))
    build_email(
        "email_confirmation",
        {"user": account.user, "link": link, "days": settings.ACCOUNT_LINK_DAYS},
        to=[account.pending_email],
        language=account.language,
    ).send()


@shared_task(**EMAIL_RETRY, max_retries=5)
def send_email_changed(user_id: int) -> None:
    """Tell the address an account left that it changed (and what to do if it was not them)."""
    account = Account.objects.select_related("user").filter(user_id=user_id).first()
    if account is None or not account.previous_email:
        return
    build_email(
        "email_changed",
        {"user": account.user, "reset_link": site_link("password_reset")},
        to=[account.previous_email],
        language=account.language,
    ).send()


@shared_task(**EMAIL_RETRY, max_retries=5)
def send_coordinator_request_answer(request_id: int) -> None:
    found = CoordinatorRequest.objects.filter(pk=request_id).first()
    if found is None or found.status == CoordinatorRequest.Status.PENDING:
        return
    approved = found.status == CoordinatorRequest.Status.APPROVED
    if approved and not found.link_is_usable:
        return
    build_email(
        "coordinator_request_approved" if approved else "coordinator_request_declined",
        {
            "request": found,
            "link": site_link("account_join", found.token) if approved else "",
            "days": settings.ACCOUNT_LINK_DAYS,
        },
        to=[found.email],
        language=found.language,
    ).send()


@shared_task
def close_expired_campaigns() -> int:
    """Daily (beat): close the open campaigns whose end date has passed; retention starts."""
    return len(services.campaign_close_expired())
