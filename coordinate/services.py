"""Writes: coordinators run their campaigns (start, copy, change, open and close, share)."""

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from campaign import languages
from campaign.models import Campaign, CampaignInvitation, Official
from config.celery import queue_after_commit
from letters.services import template_copy

SEND_INVITATION = "coordinate.tasks.send_invitation"

INVITATION_DAYS = 7
# Words the coordinator pages use after /coordinate/: a campaign cannot be called these.
RESERVED_SLUGS = {"new", "invitation", "batch"}


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "campaign")[:60]
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Campaign.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def campaign_create(*, user: AbstractBaseUser, title: str, summary: str = "") -> Campaign:
    """A new draft campaign, coordinated by `user`. Its words are English, the language every
    campaign has; the settings page has a field for each language."""
    campaign = Campaign(
        slug=_unique_slug(title),
        title_en=title.strip(),
        summary_en=summary.strip() or title.strip(),
        status=Campaign.Status.DRAFT,
        starts_on=timezone.localdate(),
    )
    campaign.full_clean()
    campaign.save()
    campaign.coordinators.add(user)
    return campaign


@transaction.atomic
def campaign_copy(*, source: Campaign, user: AbstractBaseUser, title: str = "") -> Campaign:
    """A draft copy of `source` for `user`: summary, guidance, targets, cc, recommendation lists
    and defaults, facts and the active letter templates. The original is not touched."""
    title = title.strip()
    texts = {
        f"{field}_{language}": getattr(source, f"{field}_{language}")
        for field in ("summary", "guidance", "sample_paragraph")
        for language in ("en", "es")
    }
    campaign = Campaign(
        slug=_unique_slug(title or f"{source.title_en} (copy)"),
        # A title typed for the copy is its English one; without it, each language is copied.
        title_en=title or f"{source.title_en} (copy)",
        title_es="" if title or not source.title_es else f"{source.title_es} (copia)",
        **texts,
        status=Campaign.Status.DRAFT,
        starts_on=timezone.localdate(),
        letter_goal=source.letter_goal,
        review_required=source.review_required,
        page_size=source.page_size,
        retention_days=source.retention_days,
    )
    campaign.full_clean()
    campaign.save()
    campaign.coordinators.add(user)
    campaign.targets.set(source.targets.all())
    campaign.cc.set(source.cc.all())
    campaign.recommendation_lists.set(source.recommendation_lists.all())
    campaign.default_recommendations.set(source.default_recommendations.all())
    campaign.facts.set(source.facts.all())
    for template in source.templates.filter(is_active=True):
        template_copy(template=template, campaign=campaign, is_active=True)
    return campaign


def offices_addressed_by_title(campaign: Campaign) -> list[tuple[Official, str]]:
    """The campaign's offices a letter written today addresses by title, and why."""
    today = timezone.localdate()
    offices = list(campaign.targets.prefetch_related("terms")) + list(
        campaign.cc.prefetch_related("terms")
    )
    return [(office, reason) for office in offices if (reason := office.check_needed_on(today))]


def campaign_languages(campaign: Campaign) -> list[str]:
    """The languages the campaign has an active letter template in."""
    return sorted(set(campaign.templates.filter(is_active=True).values_list("language", flat=True)))


def campaign_missing_translations(campaign: Campaign, **relations) -> dict[str, list]:
    """For each language other than English the campaign has a template in, the texts a letter
    in it would still show in English (empty lists left out). `relations`: not yet saved."""
    missing = {
        language: languages.missing_translations(campaign, language, **relations)
        for language in campaign_languages(campaign)
    }
    return {language: items for language, items in missing.items() if items}


def campaign_language_problems(
    campaign: Campaign, *, adding: str | None = None, **relations
) -> list[str]:
    """Opening a campaign (or giving an open one a template in the language `adding`) is refused
    while a letter in one of its languages would still show English: the messages saying what."""
    lines = []
    for language in [adding] if adding else campaign_languages(campaign):
        missing = languages.missing_translations(campaign, language, **relations)
        if missing:
            lines += languages.refusal(language, missing)
    return lines


def campaign_problems_before_opening(campaign: Campaign) -> list[str]:
    problems = [
        gettext("“%(office)s” has no postal address: an administrator must add it first.")
        % {"office": office.office}
        for office in campaign.targets.filter(postal_address="")
    ]
    if not campaign.targets.exists():
        problems.append(
            gettext("Choose at least one official the letters go to before opening the campaign.")
        )
    if not campaign.templates.filter(is_active=True).exists():
        problems.append(gettext("Choose a letter template before opening the campaign."))
    if not campaign.recommendation_lists.exists():
        problems.append(
            gettext("Choose at least one recommendation list before opening the campaign.")
        )
    return problems


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    fields: dict,
    relations: dict | None = None,
    template_from=None,
) -> Campaign:
    """Change a campaign's settings; opening it needs targets, lists and a template."""
    was_closed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.CLOSED).exists()
    was_open = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).exists()
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign_status_changed(campaign=campaign, was_closed=was_closed)
    campaign.full_clean()
    campaign.save()
    relations = relations or {}
    for name, values in relations.items():
        getattr(campaign, name).set(values)
    chosen_lists = set(campaign.recommendation_lists.values_list("pk", flat=True))
    stray = campaign.default_recommendations.exclude(recommendation_list__in=chosen_lists)
    if stray.exists():
        raise ValidationError(
            {
                "default_recommendations": gettext(
                    "Pre-check only recommendations from the chosen lists."
                )
            }
        )
    if template_from is not None:
        new_language = template_from.language not in campaign_languages(campaign)
        if was_open and new_language:
            problems = campaign_language_problems(campaign, adding=template_from.language)
            if problems:
                raise ValidationError({"template_from": problems})
        template_copy(template=template_from, campaign=campaign, is_active=True)
    if campaign.status == Campaign.Status.OPEN:
        problems = campaign_problems_before_opening(campaign)
        if not was_open:
            problems += campaign_language_problems(campaign)
        if problems:
            raise ValidationError({"status": problems})
    return campaign


def campaign_status_changed(*, campaign: Campaign, was_closed: bool) -> None:
    """Closing starts the retention clock; opening again stops it."""
    if campaign.status == Campaign.Status.CLOSED and not was_closed:
        campaign.closed_at = timezone.now()
    elif campaign.status != Campaign.Status.CLOSED:
        campaign.closed_at = None


def campaign_close(*, campaign: Campaign) -> Campaign:
    """No new letters; review and sending of the letters already written go on."""
    was_closed = campaign.status == Campaign.Status.CLOSED
    campaign.status = Campaign.Status.CLOSED
    campaign_status_changed(campaign=campaign, was_closed=was_closed)
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    return campaign


def campaign_invite(
    *, campaign: Campaign, email: str, invited_by: AbstractBaseUser
) -> CampaignInvitation:
    """An invitation link for another coordinator, emailed after the transaction commits."""
    invitation = CampaignInvitation(
        campaign=campaign,
        email=email.strip().lower(),
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()

    queue_after_commit(SEND_INVITATION, invitation.pk)
    return invitation


class InvitationInvalid(Exception):
    """The link is unknown, used, or expired."""


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> Campaign:
    invitation = (
        CampaignInvitation.objects.select_for_update().filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if invitation is None or not invitation.is_usable:
        raise InvitationInvalid
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    invitation.campaign.coordinators.add(user)
    return invitation.campaign


class LastCoordinator(Exception):
    """A campaign always keeps at least one coordinator."""


@transaction.atomic
def campaign_remove_coordinator(*, campaign: Campaign, user: AbstractBaseUser) -> None:
    # Lock the campaign row so two removals at once cannot leave it with nobody.
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.coordinators.filter(pk=user.pk).exists():
        return
    if campaign.coordinators.count() <= 1:
        raise LastCoordinator
    campaign.coordinators.remove(user)
