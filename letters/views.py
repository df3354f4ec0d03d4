"""Students' pages: the campaigns, compose, preview, the private link, PDF download, delete."""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from campaign import content_cache
from campaign.languages import text_in
from campaign.models import Campaign, Recommendation, Source
from config import ratelimit
from config.client_ip import client_ip
from config.forms import add_validation_errors
from letters import documents, privacy, rendering, selectors, services
from letters.forms import LetterForm, PrivateLinkRequestForm
from letters.models import Letter
from letters.selectors import get_letter_by_token

logger = logging.getLogger(__name__)

#: Never shown in an error report.
STUDENT_FIELDS = (*Letter.AUTHOR_FIELDS, "personal_paragraph", "zip_code")


def home(request: HttpRequest) -> HttpResponse:
    """The public campaigns with their progress, counted at most CAMPAIGN_FIGURES_SECONDS ago."""
    campaigns = content_cache.figures("home", count=selectors.campaigns_with_progress)
    return render(
        request,
        "campaign/home.html",
        {
            "campaigns": [c for c in campaigns if c.is_open],
            "past_campaigns": [c for c in campaigns if not c.is_open],
        },
    )


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign page: its content from the cache (campaign/content_cache.py), its progress
    counted at most CAMPAIGN_FIGURES_SECONDS ago."""
    found = selectors.public_campaign(slug)
    if found is None:
        raise Http404
    content = content_cache.cached(
        "campaign-page", found.pk, render=lambda: _campaign_page_content(slug)
    )
    return render(request, "campaign/detail.html", {"campaign": found, "content": content})


def _campaign_page_content(slug: str) -> dict[str, str]:
    """The campaign page's parts that only editors change, as HTML."""
    found = selectors.campaign_for_public_page(slug)
    context = {
        "campaign": found,
        "accepting_letters": found.is_open and services.active_template(campaign=found) is not None,
        "default_ids": {item.pk for item in found.default_recommendations.all()},
    }
    return {
        # Safe strings (rendered by templates that escape), and kept so in the cache.
        "main": render_to_string("campaign/_detail_content.html", context),
        "recipients": render_to_string("campaign/_detail_recipients.html", context),
    }


def sources(request: HttpRequest) -> HttpResponse:
    documents = Source.objects.prefetch_related("facts", "recommendation_lists__items")
    return render(request, "campaign/sources.html", {"sources": documents})


def privacy_page(request: HttpRequest) -> HttpResponse:
    """What the app keeps about a student, why and for how long (letters/privacy.py)."""
    return render(
        request,
        "letters/privacy.html",
        {
            "kept": privacy.KEPT + privacy.REPLIES_KEPT,
            "how_long": privacy.HOW_LONG % {"days": privacy.DEFAULT_RETENTION_DAYS},
            "never_asked": privacy.NEVER_ASKED,
            "not_kept": [text for text, _detail in privacy.NOT_KEPT],
        },
    )


def private_page(view):
    """Pages behind a private link: never cached, never indexed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _chosen_ids(form: LetterForm) -> set[int]:
    chosen = set()
    for value in form["recommendations"].value() or []:
        raw = str(getattr(value, "pk", value))
        if raw.isdecimal() and len(raw) < 19:
            chosen.add(int(raw))
    return chosen


def _form_context(form: LetterForm, campaign: Campaign, *, fresh: bool = False, **extra) -> dict:
    """`fresh`: a new letter's empty form, with the campaign's suggested recommendations ticked
    (the same for every student)."""
    offered = [code for code, _name in form.fields["letter_language"].choices]
    template = services.active_template(campaign=campaign, language=form.language_wanted())
    chosen_ids = _chosen_ids(form)
    # The facts, and a fresh form's recommendation boxes, are the same for every student:
    # rendered once per language and content version. Boxes a student ticked are rendered live.
    recommendations = (
        content_cache.cached(
            "compose-recommendations",
            campaign.pk,
            ",".join(map(str, sorted(chosen_ids))),
            render=lambda: _recommendation_options(campaign, chosen_ids),
        )
        if fresh
        else _recommendation_options(campaign, chosen_ids)
    )
    facts = content_cache.cached(
        "compose-facts", campaign.pk, *offered, render=lambda: _facts_help(campaign, offered)
    )
    return {
        "form": form,
        "campaign": campaign,
        "content": {"recommendations": recommendations, "facts": facts},
        "letter_language": template.language if template else "en",
        **extra,
    }


def _fresh_form_context(campaign: Campaign) -> dict:
    """A new letter's empty form: the same for every student, so the whole of it (crispy's
    fields were most of the page's time) is rendered once per language and content version.
    The CSRF token stays outside it, in compose.html."""

    def render_form() -> dict:
        form = LetterForm(initial=LetterForm.initial_for(campaign), campaign=campaign)
        context = _form_context(form, campaign, fresh=True)
        return {
            "form_body": render_to_string("letters/_compose_form.html", context),
            "letter_language": context["letter_language"],
        }

    fresh = content_cache.cached("compose-form", campaign.pk, render=render_form)
    return {
        "campaign": campaign,
        "content": {"form_body": fresh["form_body"]},
        "letter_language": fresh["letter_language"],
    }


def _recommendation_options(campaign: Campaign, chosen_ids: set[int]) -> str:
    # Only asks a student can make today are offered; the campaign page quotes the rest.
    current = Recommendation.objects.filter(status=Recommendation.Status.CURRENT)
    lists = campaign.recommendation_lists.select_related("source").prefetch_related(
        Prefetch("items", queryset=current, to_attr="current_items")
    )
    return render_to_string(
        "letters/_recommendation_options.html",
        {"recommendation_lists": lists, "chosen_ids": chosen_ids},
    )


def _facts_help(campaign: Campaign, offered: list[str]) -> str:
    facts = list(campaign.facts.select_related("source"))
    for fact in facts:
        fact.sentences = {code: _fact_sentence(fact, code) for code in offered}
    return render_to_string("letters/_facts_help.html", {"facts": facts})


def _fact_sentence(fact, language: str) -> str:
    """A fact as the student adds it to their own words, with its source, in the letter's
    language."""
    statement, _found = text_in(fact, "statement", language)
    publisher, _found = text_in(fact.source, "publisher", language)
    with translation.override(language):
        return f"{statement} ({publisher}, {fact.source.published_display})"


def _letter_form(request: HttpRequest, campaign: Campaign, **kwargs) -> LetterForm:
    """The compose form; wrong team codes from one address are limited (codes are not guessed)."""
    allowed = not ratelimit.exceeded(
        "team_code", client_ip(request), limit=settings.RATE_LIMITS["team_code"]
    )
    return LetterForm(request.POST, campaign=campaign, team_code_allowed=allowed, **kwargs)


def _count_wrong_code(request: HttpRequest, form: LetterForm) -> None:
    if form.wrong_team_code:
        ratelimit.hit("team_code", client_ip(request), limit=settings.RATE_LIMITS["team_code"])


def _typed(request: HttpRequest) -> dict:
    """What the student typed into the compose form, as the initial values of a new one."""
    several = {"recommendations", "recipients"}
    return {
        name: request.POST.getlist(name) if name in several else request.POST.get(name, "")
        for name in LetterForm.base_fields
        if name in request.POST
    }


def _letter_form_page(
    request: HttpRequest, campaign: Campaign, *, save, saved_message: str, initial=None, **extra
) -> HttpResponse:
    """The compose form, for a new letter or a change to one. On a valid POST, `save(content)`
    calls the service and the student goes to their letter; otherwise the form again. A GET shows
    a new letter's empty form (kept in the cache), or with `letter`, `initial()` to change."""
    if request.method == "POST" and "find_members" in request.POST:
        # "Find my members": the form again, as typed, with the members of Congress found for
        # the ZIP code, and no complaint yet about what the student has not filled in.
        form = LetterForm(initial=_typed(request), campaign=campaign)
        extra["congress_found"] = True
    elif request.method == "POST":
        form = _letter_form(request, campaign)
        if not form.is_valid():
            _count_wrong_code(request, form)
        else:
            try:
                letter = save(form)
            except ValidationError as error:
                add_validation_errors(form, error)
            except DatabaseError as error:
                # The database blinked (locked, restarting): what the student typed is still in
                # the form, shown again with a message instead of an error page.
                logger.warning("a letter could not be saved: %s", type(error).__name__)
                form.add_error(
                    None,
                    _(
                        "Your letter could not be saved just now. Nothing you typed is lost: "
                        "it is all still here. Please try again in a minute."
                    ),
                )
            else:
                messages.success(request, saved_message)
                return redirect("letters:detail", token=letter.token)
    elif "letter" not in extra:
        return render(request, "letters/compose.html", _fresh_form_context(campaign))
    else:
        form = LetterForm(initial=initial(), campaign=campaign)
    return render(request, "letters/compose.html", _form_context(form, campaign, **extra))


@sensitive_post_parameters(*STUDENT_FIELDS)
@private_page
@ratelimit.rate_limited("letter")
def compose(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.public_campaign_row(slug)
    if campaign is None:
        raise Http404
    if not campaign.is_open or services.active_template(campaign=campaign) is None:
        return render(request, "letters/closed.html", {"campaign": campaign}, status=200)
    return _letter_form_page(
        request,
        campaign,
        save=lambda form: services.letter_create(
            campaign=campaign, content=form.content(), language=form.language()
        ),
        saved_message=_("Your letter is saved as a draft. Read it through, then submit it."),
    )


@private_page
def detail(request: HttpRequest, token: str) -> HttpResponse:
    letter = get_letter_by_token(token)
    rendered = rendering.render_letter(letter)
    letter_url = reverse("letters:detail", args=[letter.token])
    measures = (
        services.letter_measure(letter=letter, rendered=rendered) if letter.is_editable else None
    )
    return render(
        request,
        "letters/detail.html",
        {
            "letter": letter,
            "campaign": letter.campaign,
            "rendered": rendered,
            "private_link": request.build_absolute_uri(letter_url),
            "measures": measures,
            # A letter the student can still change is in no batch (batches take approved
            # letters, and letters_return leaves one with deliveries alone): no query for them.
            "deliveries": []
            if letter.is_editable
            else letter.deliveries.select_related("official").order_by("official__office"),
        },
    )


@sensitive_post_parameters(*STUDENT_FIELDS)
@private_page
@ratelimit.rate_limited("letter")
def edit(request: HttpRequest, token: str) -> HttpResponse:
    letter = get_letter_by_token(token)

    def not_editable() -> HttpResponse:
        return render(request, "letters/not_editable.html", {"letter": letter}, status=403)

    if not letter.is_editable:
        return not_editable()
    try:
        return _letter_form_page(
            request,
            letter.campaign,
            save=lambda form: services.letter_update(letter=letter, content=form.content()),
            saved_message=_("Your changes are saved. Read the letter, then submit it."),
            initial=lambda: LetterForm.initial_from_letter(letter),
            letter=letter,
        )
    except services.LetterNotEditable:
        return not_editable()


@require_POST
@private_page
@ratelimit.rate_limited("submit")
def submit(request: HttpRequest, token: str) -> HttpResponse:
    letter = get_letter_by_token(token)
    may_email = ratelimit.hit("email", client_ip(request), limit=settings.RATE_LIMITS["email"])
    try:
        letter = services.letter_submit(letter=letter, send_link=may_email)
    except services.LetterNotEditable:
        messages.info(request, _("This letter was already submitted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if letter.status == Letter.Status.APPROVED:
            messages.success(
                request, _("Thank you! Your letter is submitted and approved for sending.")
            )
        else:
            messages.success(
                request, _("Thank you! Your letter is submitted. A coordinator will review it.")
            )
    return redirect("letters:detail", token=letter.token)


@private_page
@ratelimit.rate_limited("pdf", methods=("GET", "HEAD"))
def download_pdf(request: HttpRequest, token: str) -> HttpResponse:
    letter = get_letter_by_token(token)
    # Rendered once per version of the letter (often already by the worker, on submit), then
    # read from storage.
    content = documents.letter_download_pdf(letter)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.campaign.slug}.pdf"'
    return response


@private_page
def delete(request: HttpRequest, token: str) -> HttpResponse:
    letter = get_letter_by_token(token)
    if request.method == "POST":
        campaign = letter.campaign
        services.letter_delete(letter=letter)
        messages.success(request, _("Your letter and everything you typed into it are deleted."))
        return redirect(campaign)
    return render(request, "letters/delete.html", {"letter": letter, "campaign": letter.campaign})


@sensitive_post_parameters("email")
@ratelimit.rate_limited("email")
def resend_link(request: HttpRequest, slug: str) -> HttpResponse:
    """“Send me my link again”: the private links of the campaign's letters written with the
    address given go to that address. The page answers the same whether or not there is such a
    letter (it tells nobody who wrote one), and never shows a link."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    if request.method == "POST":
        form = PrivateLinkRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            # Per address asked for, whoever asks (counted under a hash: no address in the cache).
            address_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
            if ratelimit.hit(
                "link_address", address_key, limit=settings.RATE_LIMITS["link_address"]
            ):
                services.private_links_resend(campaign=campaign, email=email)
            messages.success(
                request,
                _(
                    "If a letter to this campaign was written with that address, its private "
                    "link is on its way there now. It can take a few minutes; look in your spam "
                    "folder too."
                ),
            )
            return redirect("letters:resend_link", slug=campaign.slug)
    else:
        form = PrivateLinkRequestForm()
    return render(request, "letters/resend_link.html", {"campaign": campaign, "form": form})
