"""Writes and reads for coordinators' accounts: created from an invitation or an approved request,
password resets, address changes, signing out everywhere, deleting an account, and teachers'
requests to coordinate. Emails go out from Celery tasks (coordinate/tasks.py) after commit, each
in the language of its recipient."""

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from campaign.models import Campaign, CampaignInvitation, Team
from config import ratelimit
from config.celery import queue_after_commit
from coordinate import services
from coordinate.models import Account, CoordinatorRequest

logger = logging.getLogger(__name__)
User = get_user_model()

SEND_PASSWORD_RESET = "coordinate.tasks.send_password_reset"  # noqa: S105 - a task name
SEND_EMAIL_CONFIRMATION = "coordinate.tasks.send_email_confirmation"
SEND_EMAIL_CHANGED = "coordinate.tasks.send_email_changed"
SEND_REQUEST_ANSWER = "coordinate.tasks.send_coordinator_request_answer"
TASKS = [SEND_PASSWORD_RESET, SEND_EMAIL_CONFIRMATION, SEND_EMAIL_CHANGED, SEND_REQUEST_ANSWER]
EMAIL_CHANGE_SALT = "coordinate.accounts.email_change"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_for_email(email: str) -> AbstractBaseUser | None:
    """The active account at this address (addresses are compared without case)."""
    return User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()


def login_name_for(typed: str) -> str:
    """The user name to log in with for what was typed: a user name as it is; an address, the
    user name of the one active account at it (older accounts have names of their own)."""
    if User.objects.filter(username__iexact=typed).exists():
        return typed
    found = list(
        User.objects.filter(email__iexact=normalise_email(typed), is_active=True).values_list(
            "username", flat=True
        )[:2]
    )
    return found[0] if len(found) == 1 else typed


def account_of(user: AbstractBaseUser) -> Account:
    account, _created = Account.objects.get_or_create(user=user)
    return account


def account_language(user: AbstractBaseUser | None) -> str | None:
    """The language a person's emails are written in; None for no account."""
    if user is None:
        return None
    language = Account.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


# --- Creating an account -------------------------------------------------------------------------


def _account_create(*, email: str, name: str, password: str, language: str) -> AbstractBaseUser:
    email = normalise_email(email)
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(gettext("An account with this email address already exists."))
    user = User(username=email, email=email, first_name=name.strip()[:150])
    validate_password(password, user)  # raises ValidationError with the validators' messages
    user.set_password(password)
    user.full_clean()
    user.save()
    # The link that reached this address proves it is theirs.
    Account.objects.create(user=user, language=language, email_verified_at=timezone.now())
    return user


@transaction.atomic
def account_create_from_invitation(
    *, token: str, name: str, password: str, language: str
) -> tuple[AbstractBaseUser, Campaign]:
    """An account for the invited address, and the invitation accepted with it (spent)."""
    invitation = CampaignInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        raise services.InvitationInvalid
    user = _account_create(email=invitation.email, name=name, password=password, language=language)
    campaign = services.invitation_accept(token=token, user=user)
    return user, campaign


def request_for_token(token: str) -> CoordinatorRequest | None:
    if not token or len(token) > 64:
        return None
    return CoordinatorRequest.objects.filter(token=token).first()


@transaction.atomic
def account_create_from_request(
    *, token: str, name: str, password: str, language: str
) -> AbstractBaseUser:
    """An account for a teacher whose request to coordinate was approved; the link is spent."""
    found = request_for_token(token)
    found = CoordinatorRequest.objects.select_for_update().get(pk=found.pk) if found else None
    if found is None or not found.link_is_usable:
        raise services.InvitationInvalid
    user = _account_create(email=found.email, name=name, password=password, language=language)
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return user


# --- Password reset ------------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Queue a reset link to the accounts at `email`. The caller answers the same whatever
    happens here: nothing tells whether the address has an account or was limited."""
    email = normalise_email(email)
    limit = settings.RATE_LIMITS["password_reset"]
    if not ratelimit.hit("password_reset", f"address:{email}", limit=limit):
        logger.info("password reset limited for an address")
        return
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if not user.has_usable_password():
            continue
        if not ratelimit.hit("password_reset", f"account:{user.pk}", limit=limit):
            logger.info("password reset limited for account %s", user.pk)
            continue
        queue_after_commit(SEND_PASSWORD_RESET, user.pk)


# --- Changing the email address ------------------------------------------------------------------


@transaction.atomic
def email_change_request(*, user: AbstractBaseUser, new_email: str) -> None:
    """Send a confirmation link to the new address; the account keeps the old one until then."""
    new_email = normalise_email(new_email)
    if new_email == normalise_email(user.email or ""):
        raise ValidationError({"new_email": gettext("This is already your address.")})
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError(
            {"new_email": gettext("Another account uses this address. Choose another one.")}
        )
    account = account_of(user)
    account.pending_email = new_email
    account.save(update_fields=["pending_email"])
    queue_after_commit(SEND_EMAIL_CONFIRMATION, user.pk)


def email_change_token(user: AbstractBaseUser) -> str:
    """A signed link token naming the account, its current address and the pending one: once the
    address changes (or another change is asked for), the token no longer matches."""
    pending = account_of(user).pending_email
    return signing.dumps(
        {"user": user.pk, "from": user.email, "to": pending}, salt=EMAIL_CHANGE_SALT, compress=True
    )


class LinkInvalid(Exception):
    """An expired, used, altered or unknown link."""


def email_change_pending(*, token: str) -> tuple[AbstractBaseUser, str]:
    """The account and the new address a confirmation link stands for, or LinkInvalid."""
    try:
        data = signing.loads(
            token,
            salt=EMAIL_CHANGE_SALT,
            max_age=datetime.timedelta(days=settings.ACCOUNT_LINK_DAYS),
        )
    except signing.BadSignature as error:
        raise LinkInvalid from error
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or user.email != data.get("from"):
        raise LinkInvalid
    if not data.get("to") or account_of(user).pending_email != data["to"]:
        raise LinkInvalid
    return user, data["to"]


@transaction.atomic
def email_change_confirm(*, token: str) -> AbstractBaseUser:
    user, new_email = email_change_pending(token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise LinkInvalid
    old_email = user.email
    user.email = new_email
    fields = ["email"]
    if normalise_email(user.get_username()) == normalise_email(old_email):
        # Accounts made here log in with their address.
        user.username = new_email
        fields.append("username")
    user.save(update_fields=fields)
    account = account_of(user)
    account.pending_email = ""
    account.previous_email = old_email
    account.email_verified_at = timezone.now()
    account.save(update_fields=["pending_email", "previous_email", "email_verified_at"])
    queue_after_commit(SEND_EMAIL_CHANGED, user.pk)
    return user


# --- Sessions and deleting -----------------------------------------------------------------------


def sessions_end_all(*, user: AbstractBaseUser) -> int:
    """Sign the account out of every browser (sessions are kept in the database)."""
    user_id = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    return ended


class AccountDeleteRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def account_delete_blockers(*, user: AbstractBaseUser) -> list[str]:
    """Why the account cannot go yet: each open campaign it is the last coordinator of, and each
    team it leads in a campaign with no other coordinator to take the team over."""
    reasons = []
    # Counted before filtering: a filter on the same relation first would count only the user.
    campaigns = (
        Campaign.objects.annotate(coordinator_count=Count("coordinators", distinct=True))
        .filter(coordinators=user)
        .order_by("title")
    )
    for campaign in campaigns:
        if campaign.coordinator_count <= 1 and campaign.status == Campaign.Status.OPEN:
            reasons.append(
                gettext(
                    "You are the last coordinator of the open campaign “%(title)s”: invite "
                    "another coordinator or close the campaign first."
                )
                % {"title": campaign.title}
            )
    for team in Team.objects.filter(coordinator=user).select_related("campaign"):
        if not team.campaign.coordinators.exclude(pk=user.pk).exists():
            reasons.append(
                gettext(
                    "You lead the team “%(team)s” of “%(title)s”, and the campaign has no other "
                    "coordinator to take it over."
                )
                % {"team": team.name, "title": team.campaign.title}
            )
    return reasons


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account. Its teams pass to another coordinator of their campaign."""
    user = User.objects.select_for_update().get(pk=user.pk)
    reasons = account_delete_blockers(user=user)
    if reasons:
        raise AccountDeleteRefused(reasons)
    for team in Team.objects.filter(coordinator=user).select_related("campaign"):
        team.coordinator = team.campaign.coordinators.exclude(pk=user.pk).order_by("pk").first()
        team.save(update_fields=["coordinator"])
    sessions_end_all(user=user)
    user.delete()


# --- Teachers' requests to coordinate ------------------------------------------------------------


def coordinator_request_create(
    *, name: str, school: str, email: str, reason: str, language: str
) -> CoordinatorRequest:
    request = CoordinatorRequest(
        name=name.strip(),
        school=school.strip(),
        email=normalise_email(email),
        reason=reason.strip(),
        language=language,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def coordinator_request_approve(
    *, request: CoordinatorRequest, decided_by: AbstractBaseUser
) -> None:
    """Approve: with a campaign chosen, the teacher is invited to it (the invitation's link makes
    the account); without, a link to make an account is emailed."""
    request = CoordinatorRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CoordinatorRequest.Status.PENDING:
        return
    request.status = CoordinatorRequest.Status.APPROVED
    request.decided_at = timezone.now()
    request.decided_by = decided_by
    if request.campaign is not None:
        services.campaign_invite(
            campaign=request.campaign,
            email=request.email,
            invited_by=decided_by,
            language=request.language,
        )
    else:
        request.token = secrets.token_urlsafe(32)
        request.expires_at = timezone.now() + datetime.timedelta(days=settings.ACCOUNT_LINK_DAYS)
        queue_after_commit(SEND_REQUEST_ANSWER, request.pk)
    request.save()


@transaction.atomic
def coordinator_request_decline(
    *, request: CoordinatorRequest, decided_by: AbstractBaseUser
) -> None:
    request = CoordinatorRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CoordinatorRequest.Status.PENDING:
        return
    request.status = CoordinatorRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = decided_by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    queue_after_commit(SEND_REQUEST_ANSWER, request.pk)


# --- The log-in page ----------------------------------------------------------------------------


def waiting_invitation(token: str) -> CampaignInvitation | None:
    """The usable invitation a log-in page was reached from, to say which one is waiting."""
    if not token or len(token) > 64:
        return None
    invitation = CampaignInvitation.objects.select_related("campaign").filter(token=token).first()
    return invitation if invitation is not None and invitation.is_usable else None
