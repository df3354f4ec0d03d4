"""The admin site: Django's, with a second factor for staff when ADMIN_REQUIRE_TWO_FACTOR is on.

A staff user who passed the password but not the second factor is sent from the admin's login to
/accounts/two-factor/ (config/two_factor.py), which asks for a code or says how to add a device.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def passed_second_factor(user) -> bool:
    """Whether this session's user entered a code (django-otp's OTPMiddleware sets is_verified)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_missing(request) -> bool:
    """A staff user the admin would let in, but for the second factor the setting asks for."""
    user = request.user
    return (
        settings.ADMIN_REQUIRE_TWO_FACTOR
        and user.is_active
        and user.is_staff
        and not passed_second_factor(user)
    )


class AdminSite(admin.AdminSite):
    site_header = "Campaign Letters administration"
    site_title = "Campaign Letters admin"
    index_title = "Campaigns, letters and officials"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and not second_factor_missing(request)

    def login(self, request, extra_context=None):
        if request.method == "GET" and second_factor_missing(request):
            next_url = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse("admin:index")
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"
