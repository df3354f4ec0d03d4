"""The coordinator's review queue: filter, open, approve or return letters, one or many."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coordinate import access
from coordinate.forms import QueueFilterForm, ReviewForm
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
    filters = QueueFilterForm(request.GET or None, scope=scope, initial={"status": "submitted"})
    sort = SORTS.get(request.GET.get("sort", ""), SORTS[""])
    letters = filters.filter(scope.letters()).select_related("team").order_by(*sort, "pk")
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
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
            "sort": request.GET.get("sort", ""),
            "sort_choices": [
                ("", _("oldest first")),
                ("personal", _("least personal first")),
                ("-personal", _("most personal first")),
                ("-similarity", _("most alike first")),
            ],
            "review_form": ReviewForm(scope=scope),
        },
    )


def _review(request: HttpRequest, form: ReviewForm) -> None:
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
        messages.error(request, " ".join(error.messages))
        return
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


@login_required
@require_POST
def review(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    form = ReviewForm(request.POST, scope=scope)
    if form.is_valid():
        _review(request, form)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if _safe_next(request):
        return redirect(request.POST["next"])
    return redirect("coordinate:queue", slug=slug)


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    )


@login_required
@require_POST
def delete_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A student (or a parent) asked for their data to go: delete the letter and its files."""
    scope = access.get_campaign_for_coordinator(request.user, slug)
    letter = access.get_letter_for_coordinator(scope, pk)
    services.letter_delete(letter=letter)
    messages.success(request, _("The letter and the student's data in it are deleted."))
    return redirect("coordinate:queue", slug=slug)


@login_required
def letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    letter = access.get_letter_for_coordinator(scope, pk)
    return render(
        request,
        "coordinate/letter.html",
        {
            "scope": scope,
            "campaign": scope.campaign,
            "letter": letter,
            "rendered": rendering.render_letter(letter),
            "review_form": ReviewForm(scope=scope, initial={"letters": [letter]}),
        },
    )
