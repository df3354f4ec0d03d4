"""Writes: coordinators run their campaigns (start, copy, change, open and close, share).

The admin saves campaigns through these functions too, so it cannot skip a rule the coordinator
pages keep (the opening checks, the status and retention clock, the last coordinator).
"""

import copy
import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from campaign import languages
from campaign.models import Campaign, CampaignInvitation, Official, Recommendation
from campaign.services import sender_email_check
from config.celery import queue_after_commit
from coordinate.access import coordinated_campaigns
from letters import retention
from letters.models import LetterTemplate
from letters.services import template_copy

logger = logging.getLogger(__name__)

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
    """A draft copy of `source` for `user`: summary, guidance, targets (its members of Congress
    too), cc, recommendation lists
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
        congress_members=source.congress_members,
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


def campaign_problems_before_opening(
    campaign: Campaign,
    *,
    has_targets: bool | None = None,
    has_template: bool | None = None,
    has_lists: bool | None = None,
) -> list[str]:
    """What keeps the campaign from opening: as it is saved, or as it is about to be (the
    `has_` arguments, when a change is checked before it is saved)."""
    if has_targets is None:
        has_targets = bool(campaign.congress_members) or (
            campaign.pk is not None and campaign.targets.exists()
        )
    if has_template is None:
        has_template = (
            campaign.pk is not None and campaign.templates.filter(is_active=True).exists()
        )
    if has_lists is None:
        has_lists = campaign.pk is not None and campaign.recommendation_lists.exists()
    problems = (
        [
            gettext("“%(office)s” has no postal address: an administrator must add it first.")
            % {"office": office.office}
            for office in campaign.targets.filter(postal_address="")
        ]
        if campaign.pk is not None
        else []
    )
    if not has_targets:
        problems.append(
            gettext("Choose at least one official the letters go to before opening the campaign.")
        )
    if not has_template:
        problems.append(gettext("Choose a letter template before opening the campaign."))
    if not has_lists:
        problems.append(
            gettext("Choose at least one recommendation list before opening the campaign.")
        )
    if campaign.ends_on and campaign.ends_on < timezone.localdate():
        problems.append(
            gettext("The campaign's end date has passed: move it later, or close the campaign.")
        )
    return problems


RELATIONS = ("targets", "cc", "recommendation_lists", "default_recommendations", "facts")


def _ids(values) -> set[int]:
    return {getattr(value, "pk", value) for value in values}


def campaign_check(
    *,
    campaign: Campaign,
    fields: dict,
    relations: dict | None = None,
    coordinators=None,
    template_from: LetterTemplate | None = None,
    user: AbstractBaseUser | None = None,
) -> None:
    """Raise ValidationError if `campaign`, changed as given, would break a rule; save nothing.

    The coordinator pages and the admin both call this (the admin in its form's clean, so a
    refusal is shown on the form) and then `campaign_update`, which checks again. Fields and
    relations not given keep their saved values.
    """
    relations = relations or {}
    saved = Campaign.objects.filter(pk=campaign.pk).first() if campaign.pk else None
    intended = copy.copy(saved or campaign)
    for name, value in fields.items():
        setattr(intended, name, value)
    errors: dict[str, list[str]] = {}
    if "slug" in fields and intended.slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(
            gettext("“%(slug)s” is a word the coordinator pages use: choose another.")
            % {"slug": intended.slug}
        )
    if "sender_email" in fields and (saved is None or saved.sender_email != intended.sender_email):
        try:
            sender_email_check(email=intended.sender_email)
        except ValidationError as error:
            errors.setdefault("sender_email", []).extend(error.messages)

    def chosen(name: str) -> set[int]:
        if name in relations:
            return _ids(relations[name])
        if saved is None:
            return set()
        return set(getattr(saved, name).values_list("pk", flat=True))

    lists = chosen("recommendation_lists")
    defaults = chosen("default_recommendations")
    if (
        defaults
        and Recommendation.objects.filter(pk__in=defaults)
        .exclude(recommendation_list__in=lists)
        .exists()
    ):
        errors.setdefault("default_recommendations", []).append(
            gettext("Pre-check only recommendations from the chosen lists.")
        )
    if coordinators is not None and not coordinators and saved and saved.coordinators.exists():
        errors.setdefault("coordinators", []).append(
            gettext("A campaign always keeps at least one coordinator.")
        )
    if template_from is not None and user is not None:
        allowed = LetterTemplate.objects.filter(pk=template_from.pk).filter(
            Q(campaign__status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED])
            | Q(campaign__in=coordinated_campaigns(user))
        )
        if not allowed.exists():
            errors.setdefault("template_from", []).append(
                gettext("Choose the letter of a public campaign or of one you coordinate.")
            )
    if intended.status == Campaign.Status.OPEN:
        has_template = template_from is not None or (
            saved is not None and saved.templates.filter(is_active=True).exists()
        )
        problems = campaign_problems_before_opening(
            intended,
            has_targets=bool(chosen("targets")) or bool(intended.congress_members),
            has_template=has_template,
            has_lists=bool(lists),
        )
        if problems:
            errors.setdefault("status", []).extend(problems)
        errors = _language_errors(errors, intended, saved, relations, template_from)
    if errors:
        raise ValidationError(errors)


LANGUAGE_RELATIONS = ("recommendation_lists", "facts", "targets", "cc")


def _language_errors(errors, intended, saved, relations, template_from) -> dict:
    """Opening a campaign is refused while a letter in one of its languages would still show
    English; so is giving an open campaign a template in a language it lacks texts in."""
    changed = {name: relations[name] for name in LANGUAGE_RELATIONS if name in relations}
    known = campaign_languages(saved) if saved is not None else []
    if saved is not None and saved.status == Campaign.Status.OPEN:
        if template_from is not None and template_from.language not in known:
            problems = campaign_language_problems(
                intended, adding=template_from.language, **changed
            )
            if problems:
                errors.setdefault("template_from", []).extend(problems)
        return errors
    wanted = sorted({*known, *([template_from.language] if template_from else [])})
    for language in wanted:
        problems = campaign_language_problems(intended, adding=language, **changed)
        if problems:
            errors.setdefault("status", []).extend(problems)
    return errors


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    fields: dict,
    relations: dict | None = None,
    coordinators=None,
    template_from: LetterTemplate | None = None,
    user: AbstractBaseUser | None = None,
) -> Campaign:
    """Change a campaign (or save a new one): its fields, its relations, its coordinators (the
    admin) and its letter template (a copy of another campaign's). Opening it needs targets,
    lists and a template; closing it starts the retention clock. `user`: the coordinator making
    the change on the coordinator pages (what they may copy is checked)."""
    campaign_check(
        campaign=campaign,
        fields=fields,
        relations=relations,
        coordinators=coordinators,
        template_from=template_from,
        user=user,
    )
    if campaign.pk is not None:
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    was_closed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.CLOSED).exists()
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign_status_changed(campaign=campaign, was_closed=was_closed)
    campaign.full_clean()
    campaign.save()
    for name, values in (relations or {}).items():
        getattr(campaign, name).set(values)
    if coordinators is not None:
        campaign.coordinators.set(coordinators)
    if template_from is not None:
        template_copy(template=template_from, campaign=campaign, is_active=True)
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


def campaign_close_expired(*, today: datetime.date | None = None) -> list[str]:
    """Close every open campaign whose last day (`ends_on`) has passed, so the retention clock
    starts even when nobody closes it by hand. Daily (beat); returns the slugs closed."""
    today = today or timezone.localdate()
    closed = []
    for pk in Campaign.objects.open().filter(ends_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update()
                .filter(pk=pk, status=Campaign.Status.OPEN, ends_on__lt=today)
                .first()
            )
            if campaign is None:  # changed meanwhile
                continue
            campaign_close(campaign=campaign)
            closed.append(campaign.slug)
    if closed:
        logger.info("closed %d campaigns past their end date", len(closed))
    return closed


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    """Delete a campaign (administrators): its letters' files and print packs go first, as the
    purge deletes them, so no student's words are left on disk."""
    retention.campaign_purge_personal_data(campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).delete()


def campaign_invite(
    *,
    campaign: Campaign,
    email: str,
    invited_by: AbstractBaseUser,
    language: str | None = None,
) -> CampaignInvitation:
    """An invitation link for another coordinator, emailed after the transaction commits (in the
    invited account's language; for an address with no account yet, in `language`, by default
    the inviter's page language)."""
    invitation = CampaignInvitation(
        campaign=campaign,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
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


class InvitationForSomeoneElse(Exception):
    """The invitation was sent to another address than the logged-in user's."""


def invitation_is_for(invitation: CampaignInvitation, user: AbstractBaseUser) -> bool:
    """An invitation binds to the address it was sent to: only the user with that email address
    may accept it (a forwarded or leaked link gives nobody else the campaign)."""
    email = (getattr(user, "email", "") or "").strip().lower()
    return bool(email) and email == invitation.email.strip().lower()


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> Campaign:
    invitation = (
        CampaignInvitation.objects.select_for_update().filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if invitation is None or not invitation.is_usable:
        raise InvitationInvalid
    if not invitation_is_for(invitation, user):
        raise InvitationForSomeoneElse
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
