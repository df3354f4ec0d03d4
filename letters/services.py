"""Writes: the rules for what students may do with their letters."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from campaign import content_cache, languages
from campaign.models import Campaign, Official, Recommendation, Team
from campaign.selectors import congress_lookup
from config.celery import queue_after_commit
from letters import batches, rendering, task_names, variation
from letters.documents import delete_letter_files, letter_download_queued
from letters.models import (
    Batch,
    Delivery,
    Letter,
    LetterBand,
    LetterRecommendation,
    LetterTemplate,
    StudentEmail,
)
from letters.student_emails import student_email_queue


@dataclass(frozen=True)
class LetterContent:
    """What a student fills in: the same for a new letter and for a change to one."""

    author: dict[str, str]  # Letter.AUTHOR_FIELDS
    personal_paragraph: str
    recommendations: Sequence[Recommendation]
    recipients: Sequence[Official]
    team: Team | None = None
    zip_code: str = ""  # the five digits the student's members of Congress were found by


class LetterNotEditable(Exception):
    """The letter was approved or sent: its words are final."""


def offered_languages(*, campaign: Campaign) -> list[str]:
    """The languages a new letter of `campaign` can be written in: English, and another one
    only when the campaign has an active template in it and every text a letter (and its pages)
    would show is written in it too (campaign.languages.missing_translations).

    Checking every text is a query or more per fact and recommendation: kept with the content it
    checks (campaign/content_cache.py), so the compose form does not pay it on every request."""
    if campaign.pk is None:
        return _offered_languages(campaign)
    return content_cache.cached(
        "offered-languages", campaign.pk, render=lambda: _offered_languages(campaign)
    )


def campaign_choices(*, campaign: Campaign) -> tuple[frozenset[int], frozenset[int]]:
    """The ids of `campaign`'s recommendation lists and of the officials it writes to (members
    of Congress found by ZIP code are checked apart): asked by the compose form and again by the
    save, so kept with the content, which changing either renews (campaign/content_cache.py)."""

    def read() -> tuple[frozenset[int], frozenset[int]]:
        return (
            frozenset(campaign.recommendation_lists.values_list("pk", flat=True)),
            frozenset(campaign.targets.values_list("pk", flat=True)),
        )

    if campaign.pk is None:
        return read()
    return content_cache.cached("campaign-choices", campaign.pk, render=read)


def _offered_languages(campaign: Campaign) -> list[str]:
    active = set(campaign.templates.filter(is_active=True).values_list("language", flat=True))
    return [
        language
        for language in sorted(active)
        if not languages.missing_translations(campaign, language)
    ]


def active_template(*, campaign: Campaign, language: str = "en") -> LetterTemplate | None:
    """The template a new letter in `language` is written from; in another offered language
    when that one is not offered."""
    offered = offered_languages(campaign=campaign)
    if not offered:
        return None
    chosen = language if language in offered else offered[0]
    if campaign.pk is None:
        return campaign.templates.filter(is_active=True, language=chosen).first()
    # Asked several times a request (the form, the save): kept with the content, which every
    # template's save renews.
    return content_cache.cached(
        "active-template",
        campaign.pk,
        chosen,
        render=lambda: _without_campaign(
            campaign.templates.filter(is_active=True, language=chosen).first()
        ),
    )


def _without_campaign(template: LetterTemplate | None) -> LetterTemplate | None:
    """The template as kept in the cache: without the caller's campaign (and whatever it had
    prefetched) attached to it."""
    if template is not None:
        template._state.fields_cache.pop("campaign", None)
    return template


def language_problems(*, campaign: Campaign, language: str) -> list[str]:
    """Why `campaign` cannot offer letters in `language`: a first line saying so, then each
    text a letter in that language would still show in English; empty when it can."""
    missing = languages.missing_translations(campaign, language)
    return languages.refusal(language, missing) if missing else []


def _check_choices(*, campaign: Campaign, content: LetterContent) -> None:
    recommendations, recipients, team = content.recommendations, content.recipients, content.team
    errors = {}
    allowed_lists, allowed_officials = campaign_choices(campaign=campaign)
    if any(item.recommendation_list_id not in allowed_lists for item in recommendations):
        errors["recommendations"] = _("Choose recommendations from this campaign's lists.")
    expired = [item for item in recommendations if not item.is_current]
    if expired:
        errors["recommendations"] = [
            _("“%(text)s” cannot be asked in a letter today: %(reason)s")
            % {
                "text": Truncator(item.text).chars(80),
                "reason": item.status_note or item.get_status_display(),
            }
            for item in expired
        ]
    if len({item.pk for item in recommendations}) != len(recommendations):
        errors["recommendations"] = _("Each recommendation can be chosen once.")
    members = [official for official in recipients if official.chamber]
    fixed = [official for official in recipients if not official.chamber]
    if not recipients:
        errors["recipients"] = _("Choose at least one official to write to.")
    else:
        if any(official.pk not in allowed_officials for official in fixed):
            errors["recipients"] = _("Choose officials this campaign writes to.")
    problem = _congress_problem(campaign=campaign, members=members, zip_code=content.zip_code)
    if problem:
        errors["zip_code" if campaign.congress_members else "recipients"] = problem
    if team is not None and team.campaign_id != campaign.pk:
        errors["team_code"] = _("That team belongs to another campaign.")
    if errors:
        raise ValidationError(errors)


def _congress_problem(*, campaign: Campaign, members: list[Official], zip_code: str) -> str:
    """Why these members of Congress cannot receive the letter ("" when they can): seats of the
    kinds the campaign writes to, of one state, and of the ZIP code's districts when it is known."""
    if not members:
        return ""
    wanted = {
        Official.Chamber.SENATE: campaign.writes_to_senators,
        Official.Chamber.HOUSE: campaign.writes_to_representative,
    }
    house = [office for office in members if office.chamber == Official.Chamber.HOUSE]
    senate = [office for office in members if office.chamber == Official.Chamber.SENATE]
    if (
        not all(wanted.get(office.chamber) for office in members)
        or len(house) > 1
        or len(senate) > 2
        or len({office.state for office in members}) > 1
    ):
        return _("Write to the members of Congress the ZIP code step found.")
    if zip_code:
        lookup = congress_lookup(zip_code)
        districts = {(area.state, area.district) for area in lookup.areas}
        if lookup.found and (
            any((o.state, o.district) not in districts for o in house)
            or any(o.state not in lookup.states for o in senate)
        ):
            return _("These members of Congress do not represent ZIP code %(zip)s.") % {
                "zip": zip_code
            }
    elif house:
        return _("Type your ZIP code to find your members of Congress.")
    return ""


def _save_choices(letter: Letter, content: LetterContent, *, new: bool = False) -> None:
    if not new:
        letter.recommendation_choices.all().delete()
    LetterRecommendation.objects.bulk_create(
        LetterRecommendation(letter=letter, recommendation=item, position=position)
        for position, item in enumerate(content.recommendations, start=1)
    )
    if new:  # nothing there yet: the rows written at once (add() first looks for them)
        Letter.recipients.through.objects.bulk_create(
            Letter.recipients.through(letter=letter, official=official)
            for official in dict.fromkeys(content.recipients)
        )
    else:
        letter.recipients.set(content.recipients)


@transaction.atomic
def letter_create(*, campaign: Campaign, content: LetterContent, language: str = "en") -> Letter:
    """A new draft letter. Raises ValidationError when the campaign or a choice does not allow it."""
    if not campaign.is_open:
        raise ValidationError(_("This campaign is not accepting new letters."))
    template = active_template(campaign=campaign, language=language)
    if template is None:
        raise ValidationError(_("This campaign has no letter template yet."))
    _check_choices(campaign=campaign, content=content)
    letter = Letter(
        campaign=campaign,
        template=template,
        team=content.team,
        personal_paragraph=content.personal_paragraph,
        zip_code=content.zip_code,
        **{name: content.author.get(name, "") for name in Letter.AUTHOR_FIELDS},
    )
    # Every field checked but what would cost a query and is known: the campaign and template
    # are in hand, and the token is 256 random bits (its unique index stays the last word).
    # Three queries fewer a new letter.
    letter.full_clean(exclude=["campaign", "template"], validate_unique=False)
    letter.save()
    _save_choices(letter, content, new=True)
    _prepare_pdf(letter)
    return letter


def _prepare_pdf(letter: Letter) -> None:
    """The student's PDF of this version of the letter is rendered by the worker while they read
    the preview, so their download reads a stored file and no web process renders it
    (letters.documents.letter_download_pdf renders there only if the worker is late)."""
    transaction.on_commit(lambda: letter_download_queued(letter))
    queue_after_commit(task_names.PREPARE_LETTER_PDF, letter.pk)


@transaction.atomic
def letter_update(*, letter: Letter, content: LetterContent) -> Letter:
    """Change a letter that is not yet approved; it goes back to draft until submitted again."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if not letter.is_editable:
        raise LetterNotEditable
    _check_choices(campaign=letter.campaign, content=content)
    for name in Letter.AUTHOR_FIELDS:
        setattr(letter, name, content.author.get(name, ""))
    letter.personal_paragraph = content.personal_paragraph
    letter.zip_code = content.zip_code
    letter.team = content.team
    letter.status = Letter.Status.DRAFT
    letter.snapshot = None
    letter.rendered_text = ""
    # The words changed: measured and indexed again when the letter is submitted again.
    letter.sketch = letter.similarity = letter.personal_share = None
    LetterBand.objects.filter(letter=letter).delete()
    letter.full_clean()
    letter.save()
    _save_choices(letter, content)
    _prepare_pdf(letter)
    return letter


@transaction.atomic
def letter_submit(*, letter: Letter, send_link: bool = True) -> Letter:
    """Freeze the letter's words and send it for review (or approve it, if the campaign says so)."""
    letter = (
        Letter.objects.select_for_update().select_related("campaign", "template").get(pk=letter.pk)
    )
    if letter.status not in (Letter.Status.DRAFT, Letter.Status.RETURNED):
        raise LetterNotEditable
    if not letter.campaign.is_open:
        raise ValidationError(_("This campaign has closed and no longer takes letters."))
    now = timezone.now()
    snapshot = rendering.build_snapshot(letter, on=timezone.localdate(now))
    letter.snapshot = snapshot
    rendered = rendering.render_snapshot(snapshot)
    letter.rendered_text = rendering.letter_text(rendered)
    letter_record_measures(letter=letter, rendered=rendered)
    letter.submitted_at = now
    letter.review_comment = ""
    if letter.campaign.review_required:
        letter.status = Letter.Status.SUBMITTED
    else:
        letter.status = Letter.Status.APPROVED
        letter.approved_at = now
    # The private link goes once to each address a letter is given: submitting again does not
    # turn the app into a way of mailing anyone, again and again.
    email_link = send_link and letter.email and letter.email != letter.link_emailed_to
    if email_link:
        letter.link_emailed_to = letter.email
    letter.save()
    # The letter as submitted prints as the draft did the same day: the worker finds it stored.
    _prepare_pdf(letter)
    if email_link:
        # A row of the students' outbox: sent after the commit, retried for hours, put back on
        # the queue by the reconcile task if the broker loses it (letters.student_emails).
        student_email_queue(letter=letter, kind=StudentEmail.Kind.PRIVATE_LINK, now=now)
    return letter


#: At most this many letters' links go out for one request ("send me my link again").
LINKS_RESENT_AT_MOST = 10


@transaction.atomic
def private_links_resend(*, campaign: Campaign, email: str) -> int:
    """Email again the private links of the campaign's letters written with `email`: one email
    per letter, to the address the letter holds. Returns how many were queued, which the caller
    never shows (the page answers the same whether or not a letter has that address)."""
    email = email.strip()
    if not email:
        return 0
    letters = Letter.objects.filter(campaign=campaign, email__iexact=email).order_by("-created_at")[
        :LINKS_RESENT_AT_MOST
    ]
    queued = [
        student_email_queue(letter=letter, kind=StudentEmail.Kind.PRIVATE_LINK)
        for letter in letters
    ]
    return sum(1 for row in queued if row is not None)


#: What other apps delete with a letter (`replies`: the replies addressed to it alone),
#: registered when their app starts: `letters` never imports them. step(letter=...).
LETTER_DELETE_STEPS: list = []


def register_letter_delete_step(step) -> None:
    if step not in LETTER_DELETE_STEPS:
        LETTER_DELETE_STEPS.append(step)


@transaction.atomic
def letter_delete(*, letter: Letter) -> None:
    """Remove the letter, its PDF files and its unsent deliveries: everything the student typed.

    Deliveries already sent go with it too (their rows hold only ids); what reached an official
    cannot be called back.
    """
    for step in LETTER_DELETE_STEPS:
        step(letter=letter)
    delete_letter_files([letter])
    # A print pack holds the letter's words too: it goes, and is made again without the letter
    # if the batch has not been mailed yet.
    packed = list(Batch.objects.filter(deliveries__letter=letter).exclude(pack="").distinct())
    Letter.objects.filter(pk=letter.pk).delete()
    for batch in packed:
        batches.batch_discard_pack(batch=batch)
        if batch.mailed_at is None and batch.deliveries.exists():
            batches.batch_rebuild_pack(batch=batch)


@transaction.atomic
def letters_approve(*, letters: Sequence[Letter]) -> int:
    """Approve submitted letters; returns how many changed."""
    now = timezone.now()
    return Letter.objects.filter(
        pk__in=[letter.pk for letter in letters], status=Letter.Status.SUBMITTED
    ).update(status=Letter.Status.APPROVED, approved_at=now, review_comment="")


@transaction.atomic
def letters_return(*, letters: Sequence[Letter], comment: str) -> int:
    """Send submitted (or approved, unsent) letters back to their students with a comment."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Write a comment so the student knows what to change.")}
        )
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment under 2,000 characters.")})
    # Lock first, then look for deliveries in a second statement: a batch starting at the same
    # moment holds these rows, and once it commits, its deliveries are seen here.
    locked = list(
        Letter.objects.select_for_update()
        .filter(
            pk__in=[letter.pk for letter in letters],
            status__in=[Letter.Status.SUBMITTED, Letter.Status.APPROVED],
        )
        .order_by("pk")  # the order every locker of several letters takes them in
        .values_list("pk", flat=True)
    )
    in_a_batch = Delivery.objects.filter(letter=OuterRef("pk"))
    return (
        Letter.objects.filter(pk__in=locked)
        .filter(~Exists(in_a_batch))
        .update(status=Letter.Status.RETURNED, review_comment=comment, approved_at=None)
    )


# --- Letter templates (administrators) -------------------------------------------------------


@transaction.atomic
def template_activate(*, template: LetterTemplate) -> LetterTemplate:
    """Make `template` the one its campaign uses for new letters in its language. An open
    campaign takes a template in a new language only once its texts are written in it."""
    if not template.is_active and template.campaign.is_open:
        problems = language_problems(campaign=template.campaign, language=template.language)
        if problems:
            raise ValidationError(problems)
    LetterTemplate.objects.filter(
        campaign=template.campaign, language=template.language, is_active=True
    ).exclude(pk=template.pk).update(is_active=False)
    template.is_active = True
    template.save(update_fields=["is_active", "updated_at"])
    return template


def _next_version(template: LetterTemplate) -> int:
    versions = LetterTemplate.objects.filter(campaign=template.campaign, language=template.language)
    return (versions.aggregate(highest=models.Max("version"))["highest"] or 0) + 1


@transaction.atomic
def template_copy(
    *, template: LetterTemplate, campaign: Campaign, is_active: bool
) -> LetterTemplate:
    """A copy of `template` in `campaign` with the next version number. An active copy replaces
    the campaign's active template in that language."""
    if is_active:
        LetterTemplate.objects.filter(
            campaign=campaign, language=template.language, is_active=True
        ).update(is_active=False)
    copy = LetterTemplate(
        campaign=campaign,
        language=template.language,
        subject=template.subject,
        greeting=template.greeting,
        body=template.body,
        closing=template.closing,
        is_active=is_active,
    )
    copy.version = _next_version(copy)
    copy.full_clean()
    copy.save()
    return copy


def template_duplicate(*, template: LetterTemplate) -> LetterTemplate:
    """An inactive copy to work on, with the next version number."""
    return template_copy(template=template, campaign=template.campaign, is_active=False)


def template_next_version_if_changed(*, template: LetterTemplate) -> None:
    """Before saving an edited template: a change of words gets the next version number.
    Letters already submitted keep their own copy of the words (their snapshot)."""
    if template.pk is None:
        template.version = _next_version(template)
        return
    before = (
        LetterTemplate.objects.filter(pk=template.pk)
        .values("subject", "greeting", "body", "closing")
        .first()
    )
    if before and any(before[name] != getattr(template, name) for name in before):
        template.version = _next_version(template)


# --- How personal a letter is ----------------------------------------------------------------


def _letter_words(rendered) -> int:
    page = rendered.pages[0] if rendered.pages else None
    if page is None:
        return 0
    texts = [block.text for block in page.blocks] + [
        item for block in page.blocks for item in block.items
    ]
    return sum(len(variation.words(text)) for text in texts)


def _similar_sketches(
    *, letter: Letter, signature: list[int] | None
) -> list[tuple[int, list[int], float | None]]:
    """Sketches of the campaign's other letters that share a band with `signature`."""
    if not signature:
        return []
    candidates = (
        LetterBand.objects.filter(
            campaign_id=letter.campaign_id, band__in=variation.bands(signature)
        )
        .exclude(letter_id=letter.pk)
        .values_list("letter_id", flat=True)
        .distinct()[:500]
    )
    return list(
        Letter.objects.filter(pk__in=list(candidates), sketch__isnull=False).values_list(
            "pk", "sketch", "similarity"
        )
    )


def letter_measure(*, letter: Letter, rendered=None) -> variation.Measures:
    """How personal the letter is now, for the student's own page (nothing is saved).

    The student's words are compared with public words only (the campaign's sample paragraph),
    never with other students' letters: whatever the page showed of those, a figure, a band or a
    yes-or-no nudge, would tell anyone who types a paragraph whether another letter to the
    campaign holds it (a copy of a letter reaches 100%). Coordinators see the resemblance to
    other letters, measured on submit (`letter_record_measures`), in the review queue."""
    rendered = rendered or rendering.render_letter(letter)
    sample = variation.sketch(letter.campaign.sample_paragraph)
    return variation.measure(
        own=letter.personal_paragraph,
        letter_words=_letter_words(rendered),
        others=[sample] if sample else [],
    )


def letter_record_measures(*, letter: Letter, rendered) -> None:
    """On submit: store the measures and index the sketch; raise the matched letter's too."""
    signature = variation.sketch(letter.personal_paragraph)
    similar = _similar_sketches(letter=letter, signature=signature)
    measures = variation.measure(
        own=letter.personal_paragraph,
        letter_words=_letter_words(rendered),
        others=[other for _pk, other, _score in similar],
    )
    letter.personal_share = measures.personal_share
    letter.similarity = measures.similarity
    letter.sketch = signature
    LetterBand.objects.filter(letter=letter).delete()
    if signature:
        LetterBand.objects.bulk_create(
            LetterBand(campaign_id=letter.campaign_id, letter=letter, band=band)
            for band in variation.bands(signature)
        )
        # Raise the matched letters' scores too, in one query (bulk_update), not one per letter.
        raised = []
        for other_pk, other, current in similar:
            score = variation.estimated_similarity(signature, other)
            if current is None or current < score:
                raised.append(Letter(pk=other_pk, similarity=score))
        Letter.objects.bulk_update(raised, ["similarity"], batch_size=500)
