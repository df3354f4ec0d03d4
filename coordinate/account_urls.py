"""/accounts/: logging in, password reset (Django's views, our templates), the account page,
making an account from an approved request, asking to coordinate. Names are global, as Django's
auth views expect ("login", "password_reset_done", ...)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from coordinate.views import accounts

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_complete",
    ),
    path("", accounts.account, name="account"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("email/", accounts.email_change, name="account_email"),
    path("email/confirm/<str:token>/", accounts.email_confirm, name="account_email_confirm"),
    path("sessions/end/", accounts.sessions_end, name="account_sessions_end"),
    path("delete/", accounts.account_delete, name="account_delete"),
    path("join/<token:token>/", accounts.join, name="account_join"),
    path("ask-to-coordinate/", accounts.coordinator_request, name="coordinator_request"),
    path(
        "ask-to-coordinate/sent/",
        accounts.coordinator_request_sent,
        name="coordinator_request_sent",
    ),
]
