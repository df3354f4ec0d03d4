"""Coordinators run their own campaigns: start one (from scratch or a copy), edit it, share it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign.models import Campaign, CampaignInvitation
from config.forms import add_validation_errors
from coordinate import access, services
from coordinate.forms import CampaignForm, CampaignStartForm, InviteForm

#: Language names as the page shows them ("Spanish", "español").
LANGUAGE_NAMES = dict(settings.LANGUAGES)


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    sources = Campaign.objects.filter(
        Q(status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED])
        | Q(pk__in=access.coordinated_campaigns(request.user).values("pk"))
    ).order_by("title")
    form = CampaignStartForm(request.POST or None, campaigns=list(sources))
    if request.method == "POST" and form.is_valid():
        source = form.source()
        try:
            if source is None:
                campaign = services.campaign_create(
                    user=request.user, title=form.cleaned_data["title"]
                )
            else:
                campaign = services.campaign_copy(
                    source=source, user=request.user, title=form.cleaned_data["title"]
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("Your campaign is created as a draft. Check it, then open it.")
            )
            return redirect("coordinate:edit", slug=campaign.slug)
    return render(request, "coordinate/campaign_new.html", {"form": form})


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_managed_campaign(request.user, slug)
    campaign = scope.campaign
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                campaign=campaign, user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            campaign.refresh_from_db()
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("coordinate:edit", slug=campaign.slug)
    elif request.method == "POST":
        campaign.refresh_from_db()
    return render(
        request,
        "coordinate/campaign_edit.html",
        {
            "scope": scope,
            "campaign": campaign,
            "section": _("Settings"),
            "form": form,
            "template": campaign.templates.filter(is_active=True).first(),
            "by_title": services.offices_addressed_by_title(campaign),
            "missing_translations": [
                ({"code": language, "name": LANGUAGE_NAMES.get(language, language)}, missing)
                for language, missing in services.campaign_missing_translations(campaign).items()
            ],
            "problems": services.campaign_problems_before_opening(campaign)
            if campaign.status == Campaign.Status.DRAFT
            else [],
        },
    )


@login_required
def coordinators(request: HttpRequest, slug: str) -> HttpResponse:
    scope = access.get_managed_campaign(request.user, slug)
    campaign = scope.campaign
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.campaign_invite(
            campaign=campaign, email=form.cleaned_data["email"], invited_by=request.user
        )
        messages.success(
            request,
            ngettext(
                "Invitation sent to %(email)s. The link works for %(days)d day.",
                "Invitation sent to %(email)s. The link works for %(days)d days.",
                services.INVITATION_DAYS,
            )
            % {"email": invitation.email, "days": services.INVITATION_DAYS},
        )
        return redirect("coordinate:coordinators", slug=slug)
    return render(
        request,
        "coordinate/coordinators.html",
        {
            "scope": scope,
            "campaign": campaign,
            "section": _("Coordinators"),
            "form": form,
            "coordinators": campaign.coordinators.order_by("username"),
            "invitations": campaign.invitations.filter(accepted_at__isnull=True),
        },
    )


@login_required
@require_POST
def coordinator_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    scope = access.get_managed_campaign(request.user, slug)
    user = scope.campaign.coordinators.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        services.campaign_remove_coordinator(campaign=scope.campaign, user=user)
    except services.LastCoordinator:
        messages.error(
            request, _("A campaign needs at least one coordinator: invite another first.")
        )
        return redirect("coordinate:coordinators", slug=slug)
    messages.success(
        request,
        _("%(user)s no longer coordinates this campaign.") % {"user": user.get_username()},
    )
    if user == request.user:
        return redirect("coordinate:dashboard")
    return redirect("coordinate:coordinators", slug=slug)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = CampaignInvitation.objects.select_related("campaign").filter(token=token).first()
    if request.method == "POST":
        try:
            campaign = services.invitation_accept(token=token, user=request.user)
        except services.InvitationInvalid:
            found = None
        except services.InvitationForSomeoneElse:
            pass  # shown below
        else:
            messages.success(
                request, _("You now coordinate “%(title)s”.") % {"title": campaign.title}
            )
            return redirect("coordinate:campaign", slug=campaign.slug)
    usable = found is not None and found.is_usable
    if usable and not services.invitation_is_for(found, request.user):
        # Neither the campaign nor the invited address is shown to someone else.
        return render(request, "coordinate/invitation.html", {"someone_else": True}, status=403)
    return render(
        request,
        "coordinate/invitation.html",
        {"invitation": found if usable else None},
        status=200 if usable else 410,
    )
