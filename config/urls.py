from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from config import two_factor
from config.converters import IdConverter, TokenConverter

register_converter(IdConverter, "id")
register_converter(TokenConverter, "token")

admin.site.site_header = "Campaign Letters administration"
admin.site.site_title = "Campaign Letters admin"
admin.site.index_title = "Campaigns, letters and officials"
# Django's navigation column takes 300 px of a 1280 px screen on every page, leaving the letter
# template editor and the wide changelists too little; the breadcrumbs and the index remain.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    # The log-in page, password reset, the account page, joining from an invitation.
    path("accounts/", include("coordinate.account_urls")),
    path("coordinate/", include("coordinate.urls")),
    path("replies/", include("replies.urls")),
    path("", include("letters.urls")),
]

handler500 = "config.errors.server_error"
