"""The second factor for staff (django-otp): a code from an authenticator app, or a recovery code.

`verify` asks a signed-in user for a code (the admin sends staff here when ADMIN_REQUIRE_TWO_FACTOR
is on, see config/admin_site.py) or, without a device, says how to add one; `setup` adds the
authenticator app (a QR code, or the key typed in) and hands out ten single-use recovery codes.
Wrong codes are limited twice: django-otp waits longer after each wrong code, and no more than
RATE_LIMITS["two_factor"] codes an hour are tried for an account.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import ratelimit
from config.admin_site import passed_second_factor

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def has_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/admin/"


def code_allowed(user) -> bool:
    """Count one code tried by `user`; False once the hour's allowance is spent."""
    return ratelimit.hit("two_factor", str(user.pk), limit=settings.RATE_LIMITS["two_factor"])


def matching_device(user, code: str):
    """The device the code is from (six digits: the app; otherwise a recovery code), if right.
    Each device counts its own wrong codes and waits longer after each (django-otp)."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if passed_second_factor(user):
        return redirect(next_url)
    if not has_device(user):
        return render(
            request,
            "registration/two_factor_missing.html",
            {"next": next_url, "can_add": user.is_staff},
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not code_allowed(user):
            return render(request, "registration/two_factor_limited.html", status=429)
        device = matching_device(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error(
            "code",
            _(
                "That code is not right, or came too soon after a wrong one. Wait a few "
                "seconds and enter the code your app shows now."
            ),
        )
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


def _pending_app_device(user) -> TOTPDevice:
    """The authenticator app being added: not used for logging in until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def _provisioning(device: TOTPDevice) -> dict:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return {
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": [secret[index : index + 4] for index in range(0, len(secret), 4)],
    }


@transaction.atomic
def _confirm(device: TOTPDevice) -> list[str]:
    """Confirm the app and replace every other device with it and fresh recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(
        user=device.user, name=RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff:
        raise Http404
    if has_device(user) and not passed_second_factor(user):
        # Replacing a device takes the one already there: a stolen password alone cannot.
        return redirect(f"{request.path.replace('setup/', '')}?next={request.path}")
    device = _pending_app_device(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits the app shows for Campaign Letters.")
    if request.method == "POST" and form.is_valid():
        if not code_allowed(user):
            return render(request, "registration/two_factor_limited.html", status=429)
        if device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(device)
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        form.add_error(
            "code",
            _("That code is not right. Check the clock of your phone, then enter the new code."),
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "replacing": has_device(user), **_provisioning(device)},
        status=400 if form.errors else 200,
    )
