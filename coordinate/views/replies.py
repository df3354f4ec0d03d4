"""Replies from officials, as coordinators see them: record one (and take it back), open its
file, and the outcomes per official (with a CSV and a chart)."""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign.models import Official
from config.forms import add_validation_errors
from config.spreadsheet import safe_cell
from coordinate import access
from coordinate.access import CampaignScope
from coordinate.statistics import per_day_chart
from coordinate.views.confirm import confirmation_page
from letters.models import Delivery
from replies import selectors, services
from replies.forms import ReplyForm
from replies.views import reply_file_response


def _officials(scope: CampaignScope):
    campaign = scope.campaign
    ids = {
        *campaign.targets.values_list("pk", flat=True),
        *campaign.cc.values_list("pk", flat=True),
    }
    return Official.objects.filter(pk__in=ids).order_by("office")


def _form(scope: CampaignScope, *args) -> ReplyForm:
    return ReplyForm(
        *args,
        officials=_officials(scope),
        letters=scope.letters()
        .filter(status__in=services.ANSWERABLE)
        .select_related("team")
        .order_by("last_name", "first_name", "pk"),
        teams=scope.teams().order_by("name"),
        batches=scope.batches(),
        whole_campaign=scope.whole_campaign,
    )


@login_required
def replies(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    form = _form(scope)
    if request.method == "POST":
        form = _form(scope, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reply = services.reply_record(
                    campaign=scope.campaign,
                    official=data["official"],
                    received_on=data["received_on"],
                    channel=data["channel"],
                    scope=data["scope"],
                    letter=data.get("letter"),
                    team=data.get("team"),
                    batch=data.get("batch"),
                    text=data.get("text", ""),
                    upload=data.get("upload"),
                    public=bool(data.get("public")),
                    created_by=request.user,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                answered = reply.answers.count()
                messages.success(
                    request,
                    ngettext(
                        "The reply is recorded. It answers %(count)d letter; its student sees it "
                        "on their private page.",
                        "The reply is recorded. It answers %(count)d letters; their students see "
                        "it on their private pages.",
                        answered,
                    )
                    % {"count": answered},
                )
                return redirect("coordinate:replies", slug=slug)
    recorded = (
        scope.replies()
        .select_related("official", "team", "batch")
        .annotate(answered=Count("answers", distinct=True))
    )
    return render(
        request,
        "coordinate/replies.html",
        {"scope": scope, "campaign": scope.campaign, "form": form, "replies": recorded},
    )


@login_required
def reply_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    response = reply_file_response(access.get_reply_for_coordinator(scope, pk))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def reply_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = access.get_managed_campaign(request.user, slug)
    reply = access.get_reply_for_coordinator(scope, pk)
    asking = confirmation_page(
        request,
        title=_("Delete this reply from %(office)s?") % {"office": reply.official.office},
        explanation=_(
            "Students no longer see it on their private pages, and its file is deleted. Emails "
            "already sent about it cannot be called back."
        ),
        button=_("Delete the reply"),
        cancel_url=reverse("coordinate:replies", args=[slug]),
        scope=scope,
        campaign=scope.campaign,
    )
    if asking is not None:
        return asking
    services.reply_delete(reply=reply)
    messages.success(request, _("The reply is deleted."))
    return redirect("coordinate:replies", slug=slug)


def _outcomes(scope: CampaignScope, team_id: str | None):
    letters = scope.letters()
    replies = scope.replies()
    team = None
    if team_id and team_id.isdecimal() and len(team_id) < 19:
        team = scope.teams().filter(pk=int(team_id)).first()
    if team is not None:
        letters = letters.filter(team=team)
        replies = replies.filter(answers__letter__team=team).distinct()
    return (
        team,
        letters,
        replies,
        selectors.outcomes_by_official(campaign=scope.campaign, letters=letters, replies=replies),
    )


@login_required
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    team, letters, replies, rows = _outcomes(scope, request.GET.get("team"))
    sent_per_day = (
        Delivery.objects.filter(letter__in=letters.values("pk"), state=Delivery.State.SENT)
        .annotate(day=TruncDate("sent_at"))
        .values_list("day")
        .annotate(n=Count("letter", distinct=True))
        .order_by()
    )
    replies_per_day = replies.values_list("received_on").annotate(n=Count("pk")).order_by()
    return render(
        request,
        "coordinate/outcomes.html",
        {
            "scope": scope,
            "campaign": scope.campaign,
            "team": team,
            "teams": scope.teams().order_by("name"),
            "rows": rows,
            "letters_chart": per_day_chart(list(sent_per_day), days=90),
            "replies_chart": per_day_chart(list(replies_per_day), days=90),
        },
    )


@login_required
def outcomes_csv(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    team, _letters, _replies, rows = _outcomes(scope, request.GET.get("team"))
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        [
            "office",
            "team",
            "letters sent by email",
            "letters sent by post",
            "replies recorded",
            "letters answered",
            "students who say they got a reply",
            "response rate (%)",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(row["official"].office),
                safe_cell(team.name if team else ""),
                row["email"],
                row["post"],
                row["replies"],
                row["answered"],
                row["said_yes"],
                "" if row["rate"] is None else row["rate"],
            ]
        )
    response = HttpResponse("\ufeff" + output.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"outcomes-{scope.campaign.slug}-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
