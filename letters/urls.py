from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
    path("sources/", views.sources, name="sources"),
    path("privacy/", views.privacy_page, name="privacy"),
    path("campaigns/<slug:slug>/write/", views.compose, name="compose"),
    path("campaigns/<slug:slug>/my-link/", views.resend_link, name="resend_link"),
    path("letters/<token:token>/", views.detail, name="detail"),
    path("letters/<token:token>/edit/", views.edit, name="edit"),
    path("letters/<token:token>/submit/", views.submit, name="submit"),
    path("letters/<token:token>/pdf/", views.download_pdf, name="pdf"),
    path("letters/<token:token>/delete/", views.delete, name="delete"),
]
