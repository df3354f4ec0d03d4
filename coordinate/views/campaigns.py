"""Coordinators run their own campaigns: start one (from scratch or a copy), edit it, share it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign.models import Campaign, CampaignInvitation
from config.forms import add_validation_errors
from coordinate import access, accounts, services
from coordinate.account_forms import AccountCreateForm
from coordinate.forms import CampaignForm, CampaignStartForm, InviteForm
from coordinate.views.accounts import (
    LOGIN_BACKEND,
    account_create_page,
    current_language,
    password_errors_to_field,
)
from coordinate.views.confirm import confirmation_page

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
    if user == request.user:
        explanation = _(
            "You will no longer coordinate “%(title)s”: you will not see its letters, unless "
            "another coordinator invites you again."
        ) % {"title": scope.campaign.title}
    else:
        explanation = _(
            "%(user)s will no longer coordinate “%(title)s” or see its letters, unless invited "
            "again."
        ) % {"user": user.get_username(), "title": scope.campaign.title}
    asking = confirmation_page(
        request,
        title=_("Remove %(user)s?") % {"user": user.get_username()},
        explanation=explanation,
        button=_("Yes, remove %(user)s") % {"user": user.get_username()},
        cancel_url=reverse("coordinate:coordinators", args=[slug]),
        scope=scope,
        campaign=scope.campaign,
    )
    if asking:
        return asking
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


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = CampaignInvitation.objects.select_related("campaign").filter(token=token).first()
    if not request.user.is_authenticated:
        return _invitation_without_login(request, token, found)
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


def _invitation_without_login(
    request: HttpRequest, token: str, found: CampaignInvitation | None
) -> HttpResponse:
    """The address's account logs in to accept; an address with no account makes one here (the
    link reached the address, so it is taken as verified) and the invitation is spent."""
    if found is None or not found.is_usable:
        return render(request, "coordinate/invitation.html", {"invitation": None}, status=410)
    if accounts.user_for_email(found.email) is not None:
        return redirect_to_login(request.get_full_path())
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, campaign = accounts.account_create_from_invitation(
                token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                language=current_language(),
            )
        except services.InvitationInvalid:
            return render(request, "coordinate/invitation.html", {"invitation": None}, status=410)
        except ValidationError as error:
            add_validation_errors(form, password_errors_to_field(error))
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("Welcome! You now coordinate “%(title)s”.") % {"title": campaign.title},
            )
            return redirect("coordinate:campaign", slug=campaign.slug)
    return account_create_page(request, email=found.email, form=form, invitation=found)
