"""The coordinator's dashboard: campaigns, statistics, teams, CSV export."""

import csv
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign import services
from config.spreadsheet import safe_cell
from coordinate import access
from coordinate import services as coordinate_services
from coordinate.forms import PaperLettersForm, TeamForm
from coordinate.statistics import per_day_chart
from coordinate.views.confirm import confirmation_page
from letters.models import Letter
from letters.rendering import snapshot_text
from letters.selectors import campaigns_with_progress, failed_student_emails
from letters.statistics import campaign_statistics
from letters.student_emails import student_emails_retry_failed


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_with_progress(access.coordinated_campaigns(request.user))
    to_do = access.letters_to_do(request.user)
    for campaign in campaigns:
        campaign.waiting = to_do.get((campaign.pk, Letter.Status.SUBMITTED), 0)
        campaign.to_send = to_do.get((campaign.pk, Letter.Status.APPROVED), 0)
    return render(request, "coordinate/dashboard.html", {"campaigns": campaigns})


@login_required
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    campaign = campaigns_with_progress(
        access.coordinated_campaigns(request.user).filter(pk=scope.campaign.pk)
    )[0]
    statistics = campaign_statistics(scope.letters())
    return render(
        request,
        "coordinate/campaign.html",
        {
            "scope": scope,
            "campaign": campaign,
            "stats": statistics,
            "chart": per_day_chart(statistics["per_day"]),
            "paper_form": PaperLettersForm(instance=campaign),
            "waiting": scope.letters().filter(status=Letter.Status.SUBMITTED).count(),
            "by_title": coordinate_services.offices_addressed_by_title(scope.campaign),
            "failed_emails": failed_student_emails(scope.letters())[:50],
        },
    )


@login_required
@require_POST
def student_emails_retry(request: HttpRequest, slug: str) -> HttpResponse:
    """Try again the emails to students (private links, copies) that gave up."""
    scope = access.get_campaign_for_coordinator(request.user, slug)
    count = student_emails_retry_failed(letters=scope.letters())
    messages.success(
        request,
        ngettext(
            "%(count)s email to a student is being sent again.",
            "%(count)s emails to students are being sent again.",
            count,
        )
        % {"count": count},
    )
    return redirect("coordinate:campaign", slug=slug)


@login_required
@require_POST
def paper_letters(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_managed_campaign(request.user, slug)
    form = PaperLettersForm(request.POST, instance=scope.campaign)
    if form.is_valid():
        try:
            services.campaign_set_paper_letters(
                campaign=scope.campaign, count=form.cleaned_data["paper_letters"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The paper letter count is saved."))
    else:
        messages.error(request, _("Enter the number of paper letters as a whole number."))
    return redirect("coordinate:campaign", slug=slug)


@login_required
def teams(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    form = TeamForm()
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team = services.team_create(
                    campaign=scope.campaign,
                    name=form.cleaned_data["name"],
                    coordinator=request.user,
                )
            except ValidationError as error:
                form.add_error("name", error.messages)
            else:
                messages.success(
                    request,
                    _("Team “%(name)s” created. Its join code is %(code)s.")
                    % {"name": team.name, "code": team.join_code},
                )
                return redirect("coordinate:teams", slug=slug)
    return render(
        request,
        "coordinate/teams.html",
        {
            "scope": scope,
            "campaign": scope.campaign,
            "form": form,
            "teams": scope.teams().order_by("name"),
        },
    )


@login_required
@require_POST
def team_regenerate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    team = access.get_team_for_coordinator(scope, pk)
    asking = confirmation_page(
        request,
        title=_("Give “%(name)s” a new join code?") % {"name": team.name},
        explanation=_(
            "The code %(code)s stops working at once: students who have not joined yet need the "
            "new one. Letters already written keep their team."
        )
        % {"code": team.join_code},
        button=_("Yes, make a new code"),
        cancel_url=reverse("coordinate:teams", args=[slug]),
        scope=scope,
        campaign=scope.campaign,
    )
    if asking:
        return asking
    services.team_regenerate_code(team=team)
    messages.success(
        request,
        _("“%(name)s” has a new join code: %(code)s. The old one no longer works.")
        % {"name": team.name, "code": team.join_code},
    )
    return redirect("coordinate:teams", slug=slug)


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "first name",
    "last name",
    "school",
    "city",
    "state",
    "team",
    "status",
    "recipients",
    "created",
    "submitted",
    "approved",
    "sent",
]


@login_required
def letters_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    letters = scope.letters().select_related("team").order_by("created_at", "pk")

    def date(value) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def rows():
        yield CSV_HEADER
        for letter in letters.iterator(chunk_size=500):
            yield [
                safe_cell(v)
                for v in (
                    letter.first_name,
                    letter.last_name,
                    letter.school,
                    letter.city,
                    letter.state,
                    letter.team.name if letter.team else "",
                    letter.get_status_display(),
                    # Whom the letter was addressed to when it was submitted.
                    "; ".join(
                        f"{snapshot_text(o['name'])} ({snapshot_text(o['office'])})"
                        for o in (letter.snapshot or {}).get("recipients", [])
                    ),
                )
            ] + [
                date(letter.created_at),
                date(letter.submitted_at),
                date(letter.approved_at),
                date(letter.sent_at),
            ]

    writer = csv.writer(_Echo())
    # UTF-8 with a byte-order mark: Excel then opens the file with its accents intact.
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], (writer.writerow(row) for row in rows())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="letters-{scope.campaign.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
