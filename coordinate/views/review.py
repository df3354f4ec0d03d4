"""The coordinator's review queue: filter, open, approve or return letters, one or many."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.forms import add_validation_errors
from coordinate import access
from coordinate.forms import QueueFilterForm, ReviewForm
from coordinate.views.confirm import confirmation_page
from letters import rendering, services

PAGE_SIZE = 25
#: How the queue can be ordered: oldest first, or by how personal the letters are.
SORTS = {
    "": ("submitted_at",),
    "personal": (F("personal_share").asc(nulls_first=True),),
    "-personal": (F("personal_share").desc(nulls_last=True),),
    "-similarity": (F("similarity").desc(nulls_last=True),),
}


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    return _queue_page(request, scope, request.GET, ReviewForm(scope=scope))


def _queue_page(
    request: HttpRequest, scope, params: QueryDict, review_form: ReviewForm, status: int = 200
) -> HttpResponse:
    """The queue for the filters in `params`; with a bound `review_form` (a review that could
    not be done), the ticked letters stay ticked and the comment stays typed."""
    filters = QueueFilterForm(params or None, scope=scope, initial={"status": "submitted"})
    sort = SORTS.get(params.get("sort", ""), SORTS[""])
    letters = filters.filter(scope.letters()).select_related("team").order_by(*sort, "pk")
    page = Paginator(letters, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    selected = set(review_form.data.getlist("letters")) if review_form.is_bound else set()
    return render(
        request,
        "coordinate/queue.html",
        {
            "scope": scope,
            "campaign": scope.campaign,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "unsorted_query": unsorted.urlencode(),
            "sort": params.get("sort", ""),
            "sort_choices": [
                ("", _("oldest first")),
                ("personal", _("least personal first")),
                ("-personal", _("most personal first")),
                ("-similarity", _("most alike first")),
            ],
            "review_form": review_form,
            "selected": selected,
            # The page the form says it came from: the same filters, even after a POST.
            "here": request.get_full_path() if request.method == "GET" else _safe_next(request),
        },
        status=status,
    )


def _review(request: HttpRequest, form: ReviewForm) -> bool:
    """Approve or return the ticked letters; False (with the reason on the form) when the
    service refused, so the page is shown again with everything as the coordinator left it."""
    letters = list(form.cleaned_data["letters"])
    try:
        if form.cleaned_data["action"] == "approve":
            changed = services.letters_approve(letters=letters)
            messages.success(
                request,
                ngettext("%(count)d letter approved.", "%(count)d letters approved.", changed)
                % {"count": changed},
            )
        else:
            changed = services.letters_return(letters=letters, comment=form.cleaned_data["comment"])
            messages.success(
                request,
                ngettext(
                    "%(count)d letter returned to the student.",
                    "%(count)d letters returned to the student.",
                    changed,
                )
                % {"count": changed},
            )
    except ValidationError as error:
        add_validation_errors(form, error)
        return False
    skipped = len(letters) - changed
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d letter could not change: already sent or not submitted.",
                "%(count)d letters could not change: already sent or not submitted.",
                skipped,
            )
            % {"count": skipped},
        )
    return True


@login_required
@require_POST
def review(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    form = ReviewForm(request.POST, scope=scope)
    target = _safe_next(request)
    if form.is_valid() and _review(request, form):
        if target:
            # Never redirect(): it would look a bare word ("foo") up as a view name (a 500).
            return HttpResponseRedirect(target)
        return redirect("coordinate:queue", slug=slug)
    # Bad input changes nothing and loses nothing: the page the coordinator came from, again,
    # with the letters still ticked, the comment still typed and the reason beside the field.
    shown = _page_again(request, scope, form, target)
    if shown is not None:
        return shown
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return HttpResponseRedirect(target) if target else redirect("coordinate:queue", slug=slug)


def _page_again(request: HttpRequest, scope, form: ReviewForm, target: str):
    """The queue or the letter page that `target` names, with `form` bound; None for another page."""
    path, _sep, query = (
        target or reverse("coordinate:queue", args=[scope.campaign.slug])
    ).partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.kwargs.get("slug") != scope.campaign.slug:
        return None
    if match.view_name == "coordinate:queue":
        return _queue_page(request, scope, QueryDict(query), form, status=400)
    if match.view_name == "coordinate:letter":
        letter = access.get_letter_for_coordinator(scope, match.kwargs["pk"])
        return _letter_page(request, scope, letter, form, status=400)
    return None


def _safe_next(request: HttpRequest) -> str:
    """`next` when it is a path on this site (the page the coordinator came from), else ""."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return target


@login_required
@require_POST
def delete_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A student (or a parent) asked for their data to go: delete the letter and its files."""
    scope = access.get_campaign_for_coordinator(request.user, slug)
    letter = access.get_letter_for_coordinator(scope, pk)
    asking = confirmation_page(
        request,
        title=_("Delete the student's data?"),
        explanation=_(
            "This deletes the letter from %(name)s and everything the student typed into it: "
            "name, school, town, email and words, with its PDFs. Copies already sent to "
            "officials cannot be called back."
        )
        % {"name": letter.full_name},
        button=_("Yes, delete the student's data"),
        cancel_url=reverse("coordinate:letter", args=[slug, letter.pk]),
        scope=scope,
        campaign=scope.campaign,
    )
    if asking:
        return asking
    services.letter_delete(letter=letter)
    messages.success(request, _("The letter and the student's data in it are deleted."))
    return redirect("coordinate:queue", slug=slug)


@login_required
def letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    letter = access.get_letter_for_coordinator(scope, pk)
    return _letter_page(
        request, scope, letter, ReviewForm(scope=scope, initial={"letters": [letter]})
    )


def _letter_page(request: HttpRequest, scope, letter, review_form, status: int = 200):
    return render(
        request,
        "coordinate/letter.html",
        {
            "scope": scope,
            "campaign": scope.campaign,
            "letter": letter,
            "rendered": rendering.render_letter(letter),
            "review_form": review_form,
            "here": request.get_full_path() if request.method == "GET" else _safe_next(request),
            "replies": scope.replies()
            .filter(answers__letter=letter)
            .select_related("official")
            .order_by("-received_on", "-pk"),
        },
        status=status,
    )
