"""Account pages: log in (saying which invitation waits), password reset (Django's views),
the account page (name, language, password, address, sessions, deleting), making an account
from an approved request, and a teacher's request to coordinate."""

from urllib.parse import urlparse

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import ratelimit
from config.client_ip import client_ip
from config.forms import add_validation_errors
from coordinate import accounts, services
from coordinate.account_forms import (
    AccountCreateForm,
    AccountDeleteForm,
    AccountLanguageForm,
    CoordinatorRequestForm,
    EmailChangeForm,
    LoginForm,
    PasswordResetRequestForm,
)

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def current_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


class LoginView(auth_views.LoginView):
    """Django's log-in page; reached from an invitation's link, it says which one is waiting."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waiting_invitation"] = self._waiting_invitation()
        return context

    def _waiting_invitation(self):
        path = urlparse(self.get_redirect_url() or "").path
        try:
            match = resolve(path) if path else None
        except Resolver404:
            return None
        if match is None or match.view_name != "coordinate:invitation":
            return None
        return accounts.waiting_invitation(match.kwargs.get("token", ""))


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = accounts.account_of(user)
    form = AccountLanguageForm(
        request.POST or None,
        initial={"name": user.get_full_name() or user.get_username(), "language": profile.language},
    )
    if request.method == "POST" and form.is_valid():
        user.first_name = form.cleaned_data["name"].strip()
        user.last_name = ""
        user.save(update_fields=["first_name", "last_name"])
        profile.language = form.cleaned_data["language"]
        profile.save(update_fields=["language"])
        messages.success(request, _("Your account is saved."))
        return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "profile": profile, "two_factor_devices": _has_two_factor(user)},
    )


def _has_two_factor(user) -> bool:
    from config.two_factor import has_device

    return has_device(user)


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.email_change_request(
                user=request.user, new_email=form.cleaned_data["new_email"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "We sent a link to %(email)s. Your address changes when you open it; until "
                    "then your account keeps its current address."
                )
                % {"email": form.cleaned_data["new_email"]},
            )
            return redirect("account")
    return render(request, "accounts/email_change.html", {"form": form})


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link does (mail scanners open links); the button confirms."""
    try:
        user, new_email = accounts.email_change_pending(token=token)
    except accounts.LinkInvalid:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.method == "POST":
        try:
            accounts.email_change_confirm(token=token)
        except accounts.LinkInvalid:
            return render(request, "accounts/link_invalid.html", status=410)
        messages.success(request, _("Your email address is now %(email)s.") % {"email": new_email})
        return redirect("account" if request.user == user else "login")
    return render(request, "accounts/email_confirm.html", {"new_email": new_email})


@login_required
@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    accounts.sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere, here too."))
    return redirect("login")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    reasons = accounts.account_delete_blockers(user=request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            accounts.account_delete(user=request.user)
        except accounts.AccountDeleteRefused as refused:
            reasons = refused.reasons
        else:
            logout(request)
            messages.success(request, _("Your account is deleted."))
            return redirect("letters:home")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "reasons": reasons},
        status=409 if reasons and request.method == "POST" else 200,
    )


def account_create_page(request: HttpRequest, *, email: str, form, invitation=None):
    return render(
        request,
        "accounts/create.html",
        {"form": form, "email": email, "invitation": invitation},
        status=400 if form.errors else 200,
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    """An approved teacher makes their account from the link emailed to them."""
    found = accounts.request_for_token(token)
    if found is None or not found.link_is_usable:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.user.is_authenticated:
        return redirect("coordinate:new")  # any account may start a campaign
    if accounts.user_for_email(found.email):
        messages.info(request, _("An account with this address exists: log in with it."))
        return redirect("login")
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.account_create_from_request(
                token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                language=current_language(),
            )
        except services.InvitationInvalid:
            return render(request, "accounts/link_invalid.html", status=410)
        except ValidationError as error:
            add_validation_errors(form, password_errors_to_field(error))
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("Welcome! Start your first campaign here."))
            return redirect("coordinate:new")
    return account_create_page(request, email=found.email, form=form)


def password_errors_to_field(error: ValidationError) -> ValidationError:
    """validate_password's errors belong next to the password field."""
    if hasattr(error, "error_dict"):
        return error
    if any(getattr(item, "code", "") and "password" in item.code for item in error.error_list):
        return ValidationError({"password1": error.error_list})
    return error


@ratelimit.rate_limited("coordinator_request")
def coordinator_request(request: HttpRequest) -> HttpResponse:
    form = CoordinatorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.coordinator_request_create(
            name=form.cleaned_data["name"],
            school=form.cleaned_data["school"],
            email=form.cleaned_data["email"],
            reason=form.cleaned_data["reason"],
            language=current_language(),
        )
        return redirect("coordinator_request_sent")
    if request.method == "POST" and "website" in form.errors:
        # A bot: counted again, so it meets the limit sooner.
        ratelimit.hit("coordinator_request", client_ip(request), limit=1)
    return render(
        request,
        "accounts/coordinator_request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def coordinator_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/coordinator_request_sent.html")
