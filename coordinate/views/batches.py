"""The coordinator's batches: start one, watch it, retry failures, download the print pack."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign.selectors import official_address_changes
from coordinate import access
from coordinate.forms import BatchStartForm, PrintStepsForm
from coordinate.views.confirm import confirmation_page
from letters import batches as batch_services
from letters.models import Batch, Delivery
from letters.selectors import batch_progress_counts, campaign_officials


@login_required
def batches(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_campaign_for_coordinator(request.user, slug)
    campaign = scope.campaign
    # An official's delivery address changed lately (an administrator's act, in its history):
    # the coordinator sees it, and confirms, before the letters go.
    address_changes = official_address_changes(
        officials=campaign_officials(campaign),
        since=timezone.now() - datetime.timedelta(days=settings.OFFICIAL_ADDRESS_CHANGE_DAYS),
    )
    form = BatchStartForm(
        request.POST or None,
        scope=scope,
        addresses_changed=bool(address_changes),
        initial={"method": Batch.Method.EMAIL},
    )
    if request.method == "POST" and form.is_valid():
        team = (
            scope.teams().filter(pk=form.cleaned_data["team"]).first()
            if form.cleaned_data["team"]
            else None
        )
        try:
            batch = batch_services.batch_start(
                campaign=campaign, method=form.cleaned_data["method"], user=request.user, team=team
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Batch started: %(count)d letter.",
                    "Batch started: %(count)d letters.",
                    batch.letter_count,
                )
                % {"count": batch.letter_count},
            )
            return redirect("coordinate:batch", pk=batch.pk)
    waiting = batch_services.sendable_letters(campaign=campaign)
    if not scope.whole_campaign:
        waiting = waiting.filter(team_id__in=scope.team_ids)
    return render(
        request,
        "coordinate/batches.html",
        {
            "scope": scope,
            "campaign": campaign,
            "form": form,
            "waiting": waiting.count(),
            "address_changes": address_changes,
            "address_change_days": settings.OFFICIAL_ADDRESS_CHANGE_DAYS,
            "batches": scope.batches()
            .select_related("team", "created_by")
            .annotate(deliveries_count=Count("deliveries")),
        },
    )


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch, scope = access.get_batch_for_coordinator(request.user, pk)
    failures = batch.deliveries.filter(state=Delivery.State.FAILED).select_related(
        "official", "letter"
    )
    return render(
        request,
        "coordinate/batch.html",
        {
            "scope": scope,
            "campaign": batch.campaign,
            "batch": batch,
            "section": _("Batch #%(number)s") % {"number": batch.pk},
            "progress": batch_progress_counts(batch),
            "failures": failures[:200],
            "failure_count": failures.count(),
            # Temporary failures waiting for their next try: the coordinator sees why and when.
            "retries": batch.deliveries.filter(state=Delivery.State.QUEUED)
            .exclude(last_error="")
            .select_related("official", "letter")
            .order_by("next_attempt_at")[:200],
            "has_print": batch.deliveries.filter(channel=Delivery.Channel.PRINT).exists(),
            "steps_form": PrintStepsForm(
                initial={
                    "printed": bool(batch.printed_at),
                    "mailed": bool(batch.mailed_at),
                    "reply_received": bool(batch.reply_received_at),
                    "reply_note": batch.reply_note,
                }
            ),
        },
    )


@login_required
def batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch, _scope = access.get_batch_for_coordinator(request.user, pk)
    response = JsonResponse(batch_progress_counts(batch))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def batch_retry(request: HttpRequest, pk: int) -> HttpResponse:
    batch, _scope = access.get_batch_for_coordinator(request.user, pk)
    count = batch_services.batch_retry_failed(batch=batch)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d failed delivery queued again.",
                "%(count)d failed deliveries queued again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("There are no failed email deliveries to retry."))
    return redirect("coordinate:batch", pk=batch.pk)


@login_required
@require_POST
def batch_rebuild_pack(request: HttpRequest, pk: int) -> HttpResponse:
    batch, scope = access.get_batch_for_coordinator(request.user, pk)
    if batch.pack:
        asking = confirmation_page(
            request,
            title=_("Make the print pack again?"),
            explanation=_(
                "The print pack of batch #%(number)s is discarded and made again from the "
                "letters as they are now. A copy you already downloaded stays as it is."
            )
            % {"number": batch.pk},
            button=_("Yes, make the pack again"),
            cancel_url=reverse("coordinate:batch", args=[batch.pk]),
            scope=scope,
            campaign=batch.campaign,
        )
        if asking:
            return asking
    batch_services.batch_rebuild_pack(batch=batch)
    messages.success(request, _("The print pack is being made again."))
    return redirect("coordinate:batch", pk=batch.pk)


@login_required
@require_POST
def batch_steps(request: HttpRequest, pk: int) -> HttpResponse:
    batch, _scope = access.get_batch_for_coordinator(request.user, pk)
    form = PrintStepsForm(request.POST)
    if form.is_valid():
        batch_services.batch_record_steps(batch=batch, **form.cleaned_data)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("The note is too long (2,000 characters at most)."))
    return redirect("coordinate:batch", pk=batch.pk)


@login_required
def batch_pack(request: HttpRequest, pk: int) -> FileResponse:
    batch, _scope = access.get_batch_for_coordinator(request.user, pk)
    if not batch.pack:
        raise Http404(_("The print pack is not ready yet."))
    response = FileResponse(
        batch.pack.open("rb"),
        as_attachment=True,
        filename=f"print-pack-{batch.campaign.slug}-batch-{batch.pk}-{timezone.localdate():%Y%m%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
